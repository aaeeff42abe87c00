package dev.chokepoint.provider;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A binary copy of a loaded {@link AsnTable}, kept next to the CSV files it came from ({@value #FILE}), so that the
 * next start reads a few primitive arrays instead of parsing half a million rows: the CSV files cost about 1.7 s of
 * CPU at every start, a twentieth of a 10,000-site scan.
 *
 * <p>The copy names what it was made from (the version file and each CSV file's size and CRC-32C) and carries a
 * CRC-32C of its own contents. A copy that names anything else, or is cut short or damaged, is ignored and the CSV
 * files are read as before; a directory that cannot be written to (a read-only installation) just goes without.
 *
 * <p>The CSV files are named by their contents, not their modification times: an edit that keeps a file's size,
 * made within the file system's timestamp granularity of the copy, would otherwise go unnoticed (git's "racy clean"
 * problem), and archives unpack with fixed times. Checksumming the 32 MB of the shipped table took about 11 ms,
 * against the 1.7 s of parsing it.
 */
final class AsnTableCache {
    /** The file name of the copy inside a table directory. */
    static final String FILE = "asn-table.bin";

    private static final Logger LOG = LoggerFactory.getLogger(AsnTableCache.class);
    private static final int MAGIC = 0x43504153; // "CPAS"
    /**
     * The layout's version, and that of the way rows become ranges ({@link AsnTable}'s overlap rule): change it with
     * either, or copies made by an older build would keep answering as that build did.
     */
    private static final int FORMAT = 1;

    private AsnTableCache() {}

    /** The arrays of a table, as {@link AsnTable} holds them. */
    record Columns(
            int[] ipv4Starts,
            int[] ipv4Ends,
            AsnRecord[] ipv4Records,
            long[] ipv6StartHigh,
            long[] ipv6StartLow,
            long[] ipv6EndHigh,
            long[] ipv6EndLow,
            AsnRecord[] ipv6Records) {}

    /**
     * What a copy of the table in {@code directory} must have been made from: the version and, for each CSV file
     * present, its name, size and CRC-32C.
     */
    static String source(Path directory, String version) throws IOException {
        StringBuilder source = new StringBuilder(version);
        for (String name : List.of(AsnTable.IPV4_FILE, AsnTable.IPV6_FILE)) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file)) {
                source.append('|')
                        .append(name)
                        .append(':')
                        .append(Files.size(file))
                        .append(':')
                        .append(Integer.toHexString(checksum(file)));
            }
        }
        return source.toString();
    }

    private static int checksum(Path file) throws IOException {
        CRC32C digest = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return (int) digest.getValue();
    }

    /** The arrays of the copy in {@code directory} made from {@code source}, or empty when there is none to trust. */
    static Optional<Columns> read(Path directory, String source) {
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
            if (in.getInt() != MAGIC || in.getInt() != FORMAT || !source.equals(string(in))) {
                LOG.debug("{}: made from other files, reading the CSV files", file);
                return Optional.empty();
            }
            int checked = in.position();
            int crc = in.getInt();
            CRC32C digest = new CRC32C();
            digest.update(in.slice());
            if ((int) digest.getValue() != crc) {
                LOG.debug("{}: damaged (checksum), reading the CSV files", file);
                return Optional.empty();
            }
            in.position(checked + Integer.BYTES);
            AsnRecord[] records = new AsnRecord[count(in, Long.BYTES + Integer.BYTES)];
            for (int i = 0; i < records.length; i++) {
                records[i] = new AsnRecord(in.getLong(), string(in));
            }
            int ipv4 = count(in, 3 * Integer.BYTES);
            int[] ipv4Starts = ints(in, ipv4);
            int[] ipv4Ends = ints(in, ipv4);
            AsnRecord[] ipv4Records = records(in, ipv4, records);
            int ipv6 = count(in, 4 * Long.BYTES + Integer.BYTES);
            long[] startHigh = longs(in, ipv6);
            long[] startLow = longs(in, ipv6);
            long[] endHigh = longs(in, ipv6);
            long[] endLow = longs(in, ipv6);
            AsnRecord[] ipv6Records = records(in, ipv6, records);
            return Optional.of(
                    new Columns(ipv4Starts, ipv4Ends, ipv4Records, startHigh, startLow, endHigh, endLow, ipv6Records));
        } catch (IOException | RuntimeException e) {
            // Whatever a damaged file makes the reading fail with (underflow, a bad index or AS number): the CSV
            // files are still there to read.
            LOG.debug("{}: unreadable ({}), reading the CSV files", file, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Writes a copy of {@code table} made from {@code source} into {@code directory}, replacing any other at once
     * (a reader never sees half a file); gives up quietly when the directory cannot be written to.
     */
    static void write(Path directory, String source, Columns table) {
        Path temp = null;
        try {
            Map<AsnRecord, Integer> index = new IdentityHashMap<>();
            List<AsnRecord> records = new ArrayList<>();
            for (AsnRecord[] family : List.of(table.ipv4Records(), table.ipv6Records())) {
                for (AsnRecord record : family) {
                    if (index.putIfAbsent(record, records.size()) == null) {
                        records.add(record);
                    }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
            DataOutputStream out = new DataOutputStream(body);
            out.writeInt(records.size());
            for (AsnRecord record : records) {
                out.writeLong(record.asn());
                string(out, record.organisation());
            }
            out.writeInt(table.ipv4Starts().length);
            ints(out, table.ipv4Starts());
            ints(out, table.ipv4Ends());
            indices(out, table.ipv4Records(), index);
            out.writeInt(table.ipv6StartHigh().length);
            longs(out, table.ipv6StartHigh());
            longs(out, table.ipv6StartLow());
            longs(out, table.ipv6EndHigh());
            longs(out, table.ipv6EndLow());
            indices(out, table.ipv6Records(), index);
            out.flush();
            byte[] payload = body.toByteArray();
            CRC32C digest = new CRC32C();
            digest.update(payload);

            ByteArrayOutputStream whole = new ByteArrayOutputStream(payload.length + 256);
            DataOutputStream head = new DataOutputStream(whole);
            head.writeInt(MAGIC);
            head.writeInt(FORMAT);
            string(head, source);
            head.writeInt((int) digest.getValue());
            head.write(payload);
            head.flush();
            temp = Files.createTempFile(directory, ".tmp-asn-table", ".bin");
            Files.write(temp, whole.toByteArray());
            readableAsTheCsvFiles(directory, temp);
            Files.move(temp, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("{}: cannot keep a binary copy of the table ({})", directory, e.toString());
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Left for the next write to replace; it is a hidden temporary file.
                }
            }
        }
    }

    /**
     * Reads a count of items of at least {@code bytesEach} bytes, checked against what is left, so that a damaged
     * count fails here instead of allocating an array of billions.
     */
    private static int count(ByteBuffer in, int bytesEach) {
        int count = in.getInt();
        if (count < 0 || (long) count * bytesEach > in.remaining()) {
            throw new IllegalArgumentException("count " + count + " beyond the end of the file");
        }
        return count;
    }

    /**
     * Gives the copy the permissions of the CSV files: a temporary file is the owner's alone, and a copy that other
     * users of a shared installation cannot read would leave them parsing the CSV files at every start.
     */
    private static void readableAsTheCsvFiles(Path directory, Path copy) throws IOException {
        for (String name : List.of(AsnTable.IPV4_FILE, AsnTable.IPV6_FILE)) {
            Path csv = directory.resolve(name);
            if (Files.isRegularFile(csv)) {
                try {
                    Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(csv));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: its own defaults apply.
                }
                return;
            }
        }
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[count(in, 1)];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static int[] ints(ByteBuffer in, int count) {
        int[] values = new int[count];
        in.asIntBuffer().get(values);
        in.position(in.position() + count * Integer.BYTES);
        return values;
    }

    private static void ints(DataOutputStream out, int[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Integer.BYTES);
        bytes.asIntBuffer().put(values);
        out.write(bytes.array());
    }

    private static long[] longs(ByteBuffer in, int count) {
        long[] values = new long[count];
        in.asLongBuffer().get(values);
        in.position(in.position() + count * Long.BYTES);
        return values;
    }

    private static void longs(DataOutputStream out, long[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES);
        bytes.asLongBuffer().put(values);
        out.write(bytes.array());
    }

    private static AsnRecord[] records(ByteBuffer in, int count, AsnRecord[] records) {
        int[] indices = ints(in, count);
        AsnRecord[] values = new AsnRecord[count];
        for (int i = 0; i < count; i++) {
            values[i] = records[indices[i]];
        }
        return values;
    }

    private static void indices(DataOutputStream out, AsnRecord[] values, Map<AsnRecord, Integer> index)
            throws IOException {
        int[] indices = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            indices[i] = index.get(values[i]);
        }
        ints(out, indices);
    }
}
