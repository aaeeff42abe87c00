package dev.chokepoint.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of domain names that only grows, held as packed bytes: the names a scan has seen, which it keeps for the whole
 * batch to skip duplicates, and on resume the sites already done. A {@code HashSet<String>} costs about 95 bytes a
 * name (the string, its byte array, the map's node and slot); this costs the name's bytes plus one, and 16 to 32 bytes
 * of table (an 8-byte slot, the table between a quarter and half full).
 *
 * <p>Each name is stored once, as a length byte and its UTF-8 bytes, in pages of {@value #PAGE_BYTES} bytes; an
 * open-addressing table (linear probing, at most half full) holds, per name, 32 bits of its hash and where its bytes
 * are, so that most probes that miss compare no bytes. Not thread-safe.
 */
final class NameSet {
    static final int PAGE_BYTES = 1 << 20;

    /** Pages addressable with 32 bits: 4 GiB of names, some 250 million. */
    private static final int MAX_PAGES = 1 << 12;

    /** The longest name held: a DNS name is at most 253 characters; the length must fit a byte. */
    static final int MAX_NAME_BYTES = 255;

    private final List<byte[]> pages = new ArrayList<>();
    private int used = PAGE_BYTES; // bytes used in the last page: full, so that the first name opens one
    private long[] table = new long[1 << 10];
    private int size;

    /** Adds {@code name}; whether it was not in the set already. */
    boolean add(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name longer than " + MAX_NAME_BYTES + " bytes: " + name);
        }
        int hash = hash(bytes);
        int slot = slot(bytes, hash);
        if (table[slot] != 0) {
            return false;
        }
        table[slot] = entry(hash, store(bytes));
        if (++size * 2 > table.length) {
            grow();
        }
        return true;
    }

    /** Whether {@code name} is in the set. */
    boolean contains(String name) {
        if (size == 0) {
            return false; // a scan that does not resume asks for every target: no bytes to encode then
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_NAME_BYTES && table[slot(bytes, hash(bytes))] != 0;
    }

    /** The slot that holds {@code bytes}, or the empty slot where they would go. */
    private int slot(byte[] bytes, int hash) {
        int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            long entry = table[slot];
            if (entry == 0 || ((int) (entry >>> 32) == hash && same(position(entry), bytes))) {
                return slot;
            }
        }
    }

    int size() {
        return size;
    }

    /**
     * Appends {@code bytes} with their length; where they start, counted from 1 (0 marks an empty slot), as an unsigned
     * 32-bit number.
     */
    private long store(byte[] bytes) {
        if (used + 1 + bytes.length > PAGE_BYTES) {
            if (pages.size() == MAX_PAGES) {
                throw new IllegalStateException("more names than a name set holds (" + size + ")");
            }
            pages.add(new byte[PAGE_BYTES]);
            used = 0;
        }
        byte[] page = pages.getLast();
        int at = used;
        page[at] = (byte) bytes.length;
        System.arraycopy(bytes, 0, page, at + 1, bytes.length);
        used += 1 + bytes.length;
        return (long) (pages.size() - 1) * PAGE_BYTES + at + 1;
    }

    private boolean same(long position, byte[] bytes) {
        byte[] page = pages.get((int) ((position - 1) / PAGE_BYTES));
        int at = (int) ((position - 1) % PAGE_BYTES);
        int length = page[at] & 0xff;
        return length == bytes.length && Arrays.equals(page, at + 1, at + 1 + length, bytes, 0, length);
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long entry : old) {
            if (entry != 0) {
                int slot = (int) (entry >>> 32) & mask;
                while (table[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = entry;
            }
        }
    }

    private static long entry(int hash, long position) {
        return ((long) hash << 32) | position;
    }

    private static long position(long entry) {
        return entry & 0xffffffffL;
    }

    /** The bytes' hash, its bits mixed (Murmur3's finaliser) so that the low bits that pick a slot vary. */
    private static int hash(byte[] bytes) {
        int h = Arrays.hashCode(bytes);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
