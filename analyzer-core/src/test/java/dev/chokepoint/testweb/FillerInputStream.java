package dev.chokepoint.testweb;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An exact number of bytes of HTML-ish filler, generated on the fly: a doctype and opening tags,
 * then one unit repeated (cut off wherever the count ends): a paragraph line, or a space, which
 * deflate compresses about three times better. Holds no more than one 64 KiB block per unit in
 * memory, shared by every instance.
 */
final class FillerInputStream extends InputStream {

    /** What the filler starts with. */
    static final byte[] HEAD =
            "<!DOCTYPE html>\n<html><head><title>filler</title></head><body>\n".getBytes(StandardCharsets.US_ASCII);

    /** The line {@link #lines} repeats after {@link #HEAD}. */
    static final byte[] LINE =
            "<p>filler filler filler filler filler filler filler.</p>\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] SPACE = {' '};
    private static final byte[] LINE_BLOCK = block(LINE);
    private static final byte[] SPACE_BLOCK = block(SPACE);

    private final long total;
    private final byte[] unit;
    private final byte[] block;
    private long position;

    private FillerInputStream(long total, byte[] unit, byte[] block) {
        if (total < 0) {
            throw new IllegalArgumentException("negative length " + total);
        }
        this.total = total;
        this.unit = unit;
        this.block = block;
    }

    /** {@link #HEAD}, then {@link #LINE} repeated, {@code total} bytes in all. */
    static FillerInputStream lines(long total) {
        return new FillerInputStream(total, LINE, LINE_BLOCK);
    }

    /** {@link #HEAD}, then spaces, {@code total} bytes in all. */
    static FillerInputStream spaces(long total) {
        return new FillerInputStream(total, SPACE, SPACE_BLOCK);
    }

    @Override
    public int read() {
        if (position >= total) {
            return -1;
        }
        byte value =
                position < HEAD.length ? HEAD[(int) position] : unit[(int) ((position - HEAD.length) % unit.length)];
        position++;
        return value & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (position >= total) {
            return -1;
        }
        int count;
        if (position < HEAD.length) {
            count = (int) Math.min(Math.min(length, HEAD.length - position), total - position);
            System.arraycopy(HEAD, (int) position, buffer, offset, count);
        } else {
            int start = (int) ((position - HEAD.length) % unit.length);
            count = (int) Math.min(Math.min(length, block.length - start), total - position);
            System.arraycopy(block, start, buffer, offset, count);
        }
        position += count;
        return count;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, total - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, total - position);
    }

    /** The unit repeated to over 64 KiB, so that any start within the first unit has 64 KiB after it. */
    private static byte[] block(byte[] unit) {
        int units = 65536 / unit.length + 2;
        byte[] block = new byte[units * unit.length];
        for (int i = 0; i < units; i++) {
            System.arraycopy(unit, 0, block, i * unit.length, unit.length);
        }
        return block;
    }
}
