package dev.chokepoint.provider;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * An offline, immutable map from IP addresses (IPv4 and IPv6) to the network that announces them, loaded from the
 * {@code @ip-location-db/asn} CSV files that {@code datasets/asn/fetch} installs.
 *
 * <p>The files hold inclusive ranges {@code start,end,asn,organisation}, sorted by start. Ranges are kept in
 * primitive arrays and found by binary search, and each distinct network is one shared {@link AsnRecord}, so the full
 * table (about half a million ranges) costs tens of megabytes rather than hundreds. Instances are safe to share
 * between threads.
 *
 * <p>Where two rows overlap, the later row (the one starting higher) wins for the addresses they share and the
 * earlier one still covers what lies on either side; the published data has such overlaps, so rejecting them would
 * leave every audit without attribution.
 */
public final class AsnTable {
    /** The file of IPv4 ranges inside a table directory. */
    public static final String IPV4_FILE = "asn-ipv4.csv";
    /** The file of IPv6 ranges inside a table directory. */
    public static final String IPV6_FILE = "asn-ipv6.csv";
    /** The file naming the package version inside a table directory. */
    public static final String VERSION_FILE = "VERSION";
    /** The version of a table with no data at all. */
    public static final String NO_VERSION = "none";
    /** The version of a table whose data came without a {@value #VERSION_FILE} file. */
    public static final String UNKNOWN_VERSION = "unknown";

    // The last version component is the data timestamp, for example 2.3.2026061719 for 2026-06-17 19h.
    private static final DateTimeFormatter VERSION_TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuuMMddHH").withResolverStyle(ResolverStyle.STRICT);
    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    private static final int COLUMNS = 4;
    private static final AsnTable EMPTY = new AsnTable(NO_VERSION, Ranges.EMPTY, Ranges.EMPTY);

    private final String version;
    private final Optional<LocalDate> date;
    // IPv4 bounds are unsigned 32-bit values; int halves the footprint of the larger family.
    private final int[] ipv4Starts;
    private final int[] ipv4Ends;
    private final AsnRecord[] ipv4Records;
    // IPv6 bounds are unsigned 128-bit values split into high and low halves.
    private final long[] ipv6StartHigh;
    private final long[] ipv6StartLow;
    private final long[] ipv6EndHigh;
    private final long[] ipv6EndLow;
    private final AsnRecord[] ipv6Records;

    private AsnTable(String version, Ranges ipv4, Ranges ipv6) {
        this(
                version,
                new AsnTableCache.Columns(
                        toInts(ipv4.startLow, ipv4.size),
                        toInts(ipv4.endLow, ipv4.size),
                        Arrays.copyOf(ipv4.records, ipv4.size),
                        Arrays.copyOf(ipv6.startHigh, ipv6.size),
                        Arrays.copyOf(ipv6.startLow, ipv6.size),
                        Arrays.copyOf(ipv6.endHigh, ipv6.size),
                        Arrays.copyOf(ipv6.endLow, ipv6.size),
                        Arrays.copyOf(ipv6.records, ipv6.size)));
    }

    private AsnTable(String version, AsnTableCache.Columns arrays) {
        this.version = version;
        this.date = dateOf(version);
        this.ipv4Starts = arrays.ipv4Starts();
        this.ipv4Ends = arrays.ipv4Ends();
        this.ipv4Records = arrays.ipv4Records();
        this.ipv6StartHigh = arrays.ipv6StartHigh();
        this.ipv6StartLow = arrays.ipv6StartLow();
        this.ipv6EndHigh = arrays.ipv6EndHigh();
        this.ipv6EndLow = arrays.ipv6EndLow();
        this.ipv6Records = arrays.ipv6Records();
    }

    /** The table's arrays, as {@link AsnTableCache} keeps them. */
    AsnTableCache.Columns arrays() {
        return new AsnTableCache.Columns(
                ipv4Starts, ipv4Ends, ipv4Records, ipv6StartHigh, ipv6StartLow, ipv6EndHigh, ipv6EndLow, ipv6Records);
    }

    /** Returns a table that attributes nothing, with version {@value #NO_VERSION}. */
    public static AsnTable empty() {
        return EMPTY;
    }

    /**
     * Loads the table in {@code directory}: {@value #IPV4_FILE}, {@value #IPV6_FILE} and {@value #VERSION_FILE}.
     *
     * <p>The first load keeps a binary copy of the table in the directory when it can, which later loads read instead
     * of the CSV files for as long as those stay as they were ({@link AsnTableCache}).
     *
     * <p>Either CSV file may be absent; when both are (or the directory is), the result is {@link #empty()}, because
     * a build without npm or network access must still be able to audit, only without ASN attribution.
     *
     * @throws IOException if a file cannot be read or a row is malformed; the message then starts with the file name
     *     and line, for example {@code asn-ipv4.csv:1234: start address 'x' is not an IPv4 address}
     */
    public static AsnTable load(Path directory) throws IOException {
        Path ipv4File = directory.resolve(IPV4_FILE);
        Path ipv6File = directory.resolve(IPV6_FILE);
        boolean hasIpv4 = Files.isRegularFile(ipv4File);
        boolean hasIpv6 = Files.isRegularFile(ipv6File);
        if (!hasIpv4 && !hasIpv6) {
            return EMPTY;
        }
        String version = readVersion(directory.resolve(VERSION_FILE));
        String source = AsnTableCache.source(directory, version);
        Optional<AsnTableCache.Columns> kept = AsnTableCache.read(directory, source);
        if (kept.isPresent()) {
            return new AsnTable(version, kept.get());
        }
        Interner interner = new Interner();
        Ranges ipv4;
        Ranges ipv6;
        if (hasIpv4 && hasIpv6) {
            // The families are independent and each costs hundreds of milliseconds on a cold JVM, so the smaller
            // one goes to a second thread; its records are re-shared afterwards so both families use one set.
            FutureTask<Ranges> ipv6Task = new FutureTask<>(() -> read(ipv6File, true, new Interner()));
            Thread.ofPlatform().name("asn-ipv6-load").daemon().start(ipv6Task);
            try {
                ipv4 = read(ipv4File, false, interner);
                ipv6 = await(ipv6Task);
            } finally {
                ipv6Task.cancel(true);
            }
            ipv6.reintern(interner);
        } else {
            ipv4 = hasIpv4 ? read(ipv4File, false, interner) : Ranges.EMPTY;
            ipv6 = hasIpv6 ? read(ipv6File, true, interner) : Ranges.EMPTY;
        }
        AsnTable table = new AsnTable(version, ipv4, ipv6);
        AsnTableCache.write(directory, source, table.arrays());
        return table;
    }

    private static Ranges await(FutureTask<Ranges> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while loading " + IPV6_FILE);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("loading " + IPV6_FILE + " failed", cause);
        }
    }

    /**
     * Builds a table from ranges in memory, for tests and for callers with data from elsewhere.
     *
     * <p>Within each address family the ranges must be sorted by first address; overlaps are resolved as in
     * {@link #load}.
     *
     * @throws IllegalArgumentException naming the offending range's index if a range is inverted, mixes address
     *     families or is out of order
     */
    public static AsnTable of(String version, List<Range> ranges) {
        Objects.requireNonNull(version, "version");
        Interner interner = new Interner();
        RangeBuilder ipv4 = new RangeBuilder(false);
        RangeBuilder ipv6 = new RangeBuilder(true);
        for (int i = 0; i < ranges.size(); i++) {
            Range range = ranges.get(i);
            boolean isIpv6 = range.first() instanceof Inet6Address;
            if (isIpv6 != range.last() instanceof Inet6Address) {
                throw new IllegalArgumentException("range " + i + ": " + range + " mixes IPv4 and IPv6");
            }
            byte[] first = range.first().getAddress();
            byte[] last = range.last().getAddress();
            AsnRecord network =
                    interner.record(range.network().asn(), range.network().organisation());
            try {
                (isIpv6 ? ipv6 : ipv4).add(high(first), low(first), high(last), low(last), network);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("range " + i + ": " + e.getMessage(), e);
            }
        }
        return new AsnTable(version, ipv4.finish(), ipv6.finish());
    }

    /**
     * Returns the network whose range contains {@code address}, or empty if no range does.
     *
     * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are looked up as the IPv4 address they carry, since
     * that is the host a dual-stack socket actually talks to.
     */
    public Optional<AsnRecord> lookup(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return lookupIpv4(ByteBuffer.wrap(bytes).getInt());
        }
        long high = high(bytes);
        long low = low(bytes);
        if (high == 0 && (low >>> 32) == 0xFFFFL) {
            return lookupIpv4((int) low);
        }
        return lookupIpv6(high, low);
    }

    private Optional<AsnRecord> lookupIpv4(int address) {
        // Index of the last range starting at or before the address; only that one can contain it.
        int lo = 0;
        int hi = ipv4Starts.length - 1;
        int candidate = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned(ipv4Starts[mid], address) <= 0) {
                candidate = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (candidate < 0 || Integer.compareUnsigned(address, ipv4Ends[candidate]) > 0) {
            return Optional.empty();
        }
        return Optional.of(ipv4Records[candidate]);
    }

    private Optional<AsnRecord> lookupIpv6(long high, long low) {
        int lo = 0;
        int hi = ipv6StartHigh.length - 1;
        int candidate = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(ipv6StartHigh[mid], ipv6StartLow[mid], high, low) <= 0) {
                candidate = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (candidate < 0 || compare(high, low, ipv6EndHigh[candidate], ipv6EndLow[candidate]) > 0) {
            return Optional.empty();
        }
        return Optional.of(ipv6Records[candidate]);
    }

    /**
     * Returns the package version the data came from, for example {@code 2.3.2026061719}; {@value #NO_VERSION} for
     * a table without data and {@value #UNKNOWN_VERSION} for data without a {@value #VERSION_FILE} file.
     */
    public String version() {
        return version;
    }

    /** Returns the day the data was generated, taken from the version's last component ({@code YYYYMMDDHH}). */
    public Optional<LocalDate> date() {
        return date;
    }

    /** Returns the number of address ranges, IPv4 and IPv6 together, after overlaps were resolved. */
    public int size() {
        return ipv4Starts.length + ipv6StartHigh.length;
    }

    /** Returns whether the table attributes no address at all. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Returns a summary for logs, for example {@code AsnTable[version=2.3.2026061719, ipv4=411960, ipv6=103197]}. */
    @Override
    public String toString() {
        return "AsnTable[version=" + version + ", ipv4=" + ipv4Starts.length + ", ipv6=" + ipv6StartHigh.length + "]";
    }

    /**
     * An inclusive address range and the network it belongs to, as accepted by {@link AsnTable#of}.
     *
     * @param first the lowest address in the range
     * @param last the highest address in the range, of the same family as {@code first}
     * @param network the network that announces the range
     */
    public record Range(InetAddress first, InetAddress last, AsnRecord network) {
        /** Rejects null components. */
        public Range {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
            Objects.requireNonNull(network, "network");
        }
    }

    private static Ranges read(Path file, boolean ipv6, Interner interner) throws IOException {
        String name = file.getFileName().toString();
        RangeBuilder builder = new RangeBuilder(ipv6);
        // A strict decoder (the default of newBufferedReader) turns a corrupt download into an error, not mojibake.
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser =
                        CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            Iterator<CSVRecord> rows = parser.iterator();
            while (true) {
                long linesBefore = parser.getCurrentLineNumber();
                CSVRecord row;
                try {
                    if (!rows.hasNext()) {
                        break;
                    }
                    row = rows.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    String problem = cause instanceof CharacterCodingException
                            ? "not valid UTF-8"
                            : "unreadable CSV: " + cause.getMessage();
                    throw new IOException(name + ":" + (linesBefore + 1) + ": " + problem, e);
                }
                // Rows never span lines, so the parser's count of line ends read is this row's line; unlike the
                // record number it also counts skipped blank lines.
                long line = parser.getCurrentLineNumber();
                try {
                    addRow(builder, row, ipv6, interner);
                } catch (IllegalArgumentException e) {
                    throw new IOException(name + ":" + line + ": " + e.getMessage(), e);
                }
            }
        }
        return builder.finish();
    }

    private static void addRow(RangeBuilder builder, CSVRecord row, boolean ipv6, Interner interner) {
        if (row.size() != COLUMNS) {
            throw new IllegalArgumentException(
                    "expected 4 columns (start,end,asn,organisation) but found " + row.size());
        }
        byte[] start = parseAddress("start", row.get(0), ipv6);
        byte[] end = parseAddress("end", row.get(1), ipv6);
        long asn = parseAsn(row.get(2));
        builder.add(high(start), low(start), high(end), low(end), interner.record(asn, row.get(3)));
    }

    private static byte[] parseAddress(String role, String text, boolean ipv6) {
        String family = ipv6 ? "IPv6" : "IPv4";
        InetAddress address;
        try {
            // Guava parses literals only; InetAddress.getByName would send anything else to DNS.
            address = InetAddresses.forString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " address '" + text + "' is not an " + family + " address", e);
        }
        if ((address instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException(role + " address '" + text + "' is not an " + family + " address");
        }
        return address.getAddress();
    }

    private static long parseAsn(String text) {
        long asn;
        try {
            asn = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AS number '" + text + "' is not a number", e);
        }
        if (asn < 0 || asn > AsnRecord.MAX_ASN) {
            throw new IllegalArgumentException("AS number '" + text + "' is outside 0 to " + AsnRecord.MAX_ASN);
        }
        return asn;
    }

    private static String readVersion(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return UNKNOWN_VERSION;
        }
        String version = Files.readString(file, StandardCharsets.UTF_8).strip();
        return version.isEmpty() ? UNKNOWN_VERSION : version;
    }

    private static Optional<LocalDate> dateOf(String version) {
        String timestamp = version.substring(version.lastIndexOf('.') + 1);
        if (timestamp.length() != 10) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.from(VERSION_TIMESTAMP.parse(timestamp)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    // IPv4 addresses live in the low half with a zero high half, so one builder serves both families.
    private static long high(byte[] address) {
        return address.length == 4 ? 0 : ByteBuffer.wrap(address).getLong(0);
    }

    private static long low(byte[] address) {
        return address.length == 4
                ? Integer.toUnsignedLong(ByteBuffer.wrap(address).getInt())
                : ByteBuffer.wrap(address).getLong(8);
    }

    private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int byHigh = Long.compareUnsigned(aHigh, bHigh);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
    }

    private static int[] toInts(long[] values, int size) {
        int[] result = new int[size];
        for (int i = 0; i < size; i++) {
            result[i] = (int) values[i];
        }
        return result;
    }

    private static String format(long high, long low, boolean ipv6) {
        byte[] bytes = ipv6
                ? ByteBuffer.allocate(16).putLong(high).putLong(low).array()
                : ByteBuffer.allocate(4).putInt((int) low).array();
        try {
            return InetAddresses.toAddrString(InetAddress.getByAddress(bytes));
        } catch (IOException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** Shares one organisation string and one record per distinct network across the whole table. */
    private static final class Interner {
        private final Map<String, String> organisations = new HashMap<>();
        // Nearly every AS number has a single organisation, so a lookup by number usually settles it; the record
        // map only holds the rest. Keying everything by record would hash each organisation twice per row.
        private final Map<Long, AsnRecord> byAsn = new HashMap<>();
        private final Map<AsnRecord, AsnRecord> others = new HashMap<>();

        AsnRecord record(long asn, String organisation) {
            String shared = organisations.computeIfAbsent(organisation, o -> o);
            AsnRecord known = byAsn.get(asn);
            if (known == null) {
                AsnRecord created = new AsnRecord(asn, shared);
                byAsn.put(asn, created);
                return created;
            }
            if (known.organisation() == shared) {
                return known;
            }
            return others.computeIfAbsent(new AsnRecord(asn, shared), r -> r);
        }
    }

    /** Growable parallel arrays of disjoint, ascending ranges; only the low halves matter for IPv4. */
    private static final class Ranges {
        static final Ranges EMPTY = new Ranges();

        long[] startHigh = new long[0];
        long[] startLow = new long[0];
        long[] endHigh = new long[0];
        long[] endLow = new long[0];
        AsnRecord[] records = new AsnRecord[0];
        int size;

        void reintern(Interner interner) {
            for (int i = 0; i < size; i++) {
                records[i] = interner.record(records[i].asn(), records[i].organisation());
            }
        }

        void append(long sHigh, long sLow, long eHigh, long eLow, AsnRecord record) {
            if (size == records.length) {
                int capacity = Math.max(1024, size + (size >> 1));
                startHigh = Arrays.copyOf(startHigh, capacity);
                startLow = Arrays.copyOf(startLow, capacity);
                endHigh = Arrays.copyOf(endHigh, capacity);
                endLow = Arrays.copyOf(endLow, capacity);
                records = Arrays.copyOf(records, capacity);
            }
            startHigh[size] = sHigh;
            startLow[size] = sLow;
            endHigh[size] = eHigh;
            endLow[size] = eLow;
            records[size] = record;
            size++;
        }
    }

    /**
     * Turns rows sorted by start into disjoint ranges in one pass.
     *
     * <p>Rows that have started but not yet been fully emitted wait on a stack, innermost on top. Each new row first
     * flushes everything below its start, then goes on top, so it shadows the rows beneath it until it ends; a row
     * beneath resumes after it if it reaches further. Without overlaps the stack never holds more than one row.
     */
    private static final class RangeBuilder {
        private final boolean ipv6;
        private final Ranges out = new Ranges();
        private final Deque<Pending> pending = new ArrayDeque<>();
        private boolean started;
        private long previousStartHigh;
        private long previousStartLow;

        RangeBuilder(boolean ipv6) {
            this.ipv6 = ipv6;
        }

        void add(long sHigh, long sLow, long eHigh, long eLow, AsnRecord record) {
            if (compare(sHigh, sLow, eHigh, eLow) > 0) {
                throw new IllegalArgumentException("start address " + format(sHigh, sLow, ipv6)
                        + " is after end address " + format(eHigh, eLow, ipv6));
            }
            if (started && compare(sHigh, sLow, previousStartHigh, previousStartLow) < 0) {
                throw new IllegalArgumentException("start address " + format(sHigh, sLow, ipv6)
                        + " is below the previous row's " + format(previousStartHigh, previousStartLow, ipv6)
                        + "; rows must be sorted by start address");
            }
            started = true;
            previousStartHigh = sHigh;
            previousStartLow = sLow;
            emitBefore(sHigh, sLow);
            pending.push(new Pending(sHigh, sLow, eHigh, eLow, record));
        }

        Ranges finish() {
            while (!pending.isEmpty()) {
                Pending top = pending.pop();
                out.append(top.fromHigh, top.fromLow, top.endHigh, top.endLow, top.record);
                resumeAfter(top.endHigh, top.endLow);
            }
            return out;
        }

        private void emitBefore(long xHigh, long xLow) {
            while (!pending.isEmpty()) {
                Pending top = pending.peek();
                if (compare(top.fromHigh, top.fromLow, xHigh, xLow) >= 0) {
                    return;
                }
                if (compare(top.endHigh, top.endLow, xHigh, xLow) < 0) {
                    out.append(top.fromHigh, top.fromLow, top.endHigh, top.endLow, top.record);
                    pending.pop();
                    resumeAfter(top.endHigh, top.endLow);
                } else {
                    // x > top.from >= 0, so x - 1 cannot wrap.
                    long beforeLow = xLow - 1;
                    long beforeHigh = xLow == 0 ? xHigh - 1 : xHigh;
                    out.append(top.fromHigh, top.fromLow, beforeHigh, beforeLow, top.record);
                    top.fromHigh = xHigh;
                    top.fromLow = xLow;
                    return;
                }
            }
        }

        private void resumeAfter(long endHigh, long endLow) {
            while (!pending.isEmpty()) {
                Pending next = pending.peek();
                if (compare(next.endHigh, next.endLow, endHigh, endLow) <= 0) {
                    // Wholly shadowed by what just ended.
                    pending.pop();
                    continue;
                }
                // next ends beyond end, so end is not the maximum address and end + 1 cannot wrap.
                next.fromLow = endLow + 1;
                next.fromHigh = next.fromLow == 0 ? endHigh + 1 : endHigh;
                return;
            }
        }
    }

    /** A row not yet fully emitted; {@code from} advances as rows on top of it take over. */
    private static final class Pending {
        long fromHigh;
        long fromLow;
        final long endHigh;
        final long endLow;
        final AsnRecord record;

        Pending(long fromHigh, long fromLow, long endHigh, long endLow, AsnRecord record) {
            this.fromHigh = fromHigh;
            this.fromLow = fromLow;
            this.endHigh = endHigh;
            this.endLow = endLow;
            this.record = record;
        }
    }
}
