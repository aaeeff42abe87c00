package dev.chokepoint.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chokepoint.export.JsonResults;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A scan's output directory: {@code results.ndjson} (one audit result per line, appended and flushed as each site
 * finishes), the WARC snapshots of each run, and {@code manifest.json}. Opening it takes an exclusive lock, repairs a
 * line torn by a crash and remembers the sites already done, so that running the same scan again resumes it.
 */
public final class ScanDirectory implements Closeable {
    /** The results file. */
    public static final String RESULTS = "results.ndjson";

    /** The manifest file. */
    public static final String MANIFEST = "manifest.json";

    private static final String LOCK = ".lock";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final NameSet done;
    private final int previouslyDone;
    private final Skipped skipped;
    private final long retried;
    private final OutputStream results;
    private long written;

    private ScanDirectory(
            Path dir,
            FileChannel lockChannel,
            FileLock lock,
            NameSet done,
            Skipped skipped,
            long retried,
            OutputStream results) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.done = done;
        this.previouslyDone = done.size();
        this.skipped = skipped;
        this.retried = retried;
        this.results = results;
    }

    /**
     * The lines of the results file that are not results (damaged in the middle of the file: the torn last line a
     * crash leaves is cut instead), and the number of the first; their sites count as not done and are audited again,
     * while {@code report} and {@code simulate} read past them.
     */
    public record Skipped(long lines, long first) {
        static final Skipped NONE = new Skipped(0, 0);

        Skipped and(long number) {
            return new Skipped(lines + 1, lines == 0 ? number : first);
        }
    }

    /**
     * Opens (or creates) {@code dir} for writing.
     *
     * @throws ScanException if another scan holds the directory, or it cannot be created or read
     */
    public static ScanDirectory open(Path dir) {
        return open(dir, head -> false);
    }

    /**
     * Opens (or creates) {@code dir} for writing, first taking out of the results file the results that {@code retry}
     * selects (of sites that could not be audited, say those no resolver answered for; the file is rewritten whole,
     * then renamed over it, so that a crash leaves one file or the other), so that those sites count as not done and
     * are audited again.
     *
     * @throws ScanException if another scan holds the directory, or it cannot be created or read
     */
    public static ScanDirectory open(Path dir, Predicate<JsonResults.Head> retry) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // Files' exceptions carry only the path as their message: say what is wrong with it.
            String reason = e instanceof java.nio.file.FileAlreadyExistsException
                    ? "a file of that name is in the way"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new ScanException(dir + ": cannot create the output directory (" + reason + ")", e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new ScanException(dir + ": another scan is writing to this directory", null);
            }
            Path file = dir.resolve(RESULTS);
            Path rewritten = dir.resolve(RESULTS + ".tmp");
            Files.deleteIfExists(rewritten); // left by a crash while rewriting: the results file is whole
            NameSet done = new NameSet();
            Skipped skipped = Skipped.NONE;
            long retried = 0;
            if (Files.exists(file)) {
                repairTornLine(file);
                try (BufferedReader reader = reader(file)) {
                    String line;
                    long number = 0;
                    while ((line = reader.readLine()) != null) {
                        number++;
                        if (line.isBlank()) {
                            continue;
                        }
                        Optional<JsonResults.Head> head = JsonResults.headOf(line);
                        if (head.isEmpty()) {
                            skipped = skipped.and(number);
                        } else if (retry.test(head.get())) {
                            retried++;
                        } else {
                            try {
                                done.add(head.get().domain());
                            } catch (IllegalArgumentException tooLong) {
                                // Longer than any domain name: not a result of ours.
                                skipped = skipped.and(number);
                            }
                        }
                    }
                }
                if (retried > 0) {
                    without(retry, file, rewritten);
                }
            }
            OutputStream writer = new BufferedOutputStream(
                    Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16);
            return new ScanDirectory(dir, channel, lock, done, skipped, retried, writer);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ScanException(dir + ": cannot open the scan directory (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Rewrites {@code file} without the results {@code retry} selects, through {@code rewritten}: on the disk before
     * it takes the old file's place, so that a crash or a power cut leaves one or the other.
     */
    private static void without(Predicate<JsonResults.Head> retry, Path file, Path rewritten) throws IOException {
        try (BufferedReader reader = reader(file);
                BufferedWriter copy = Files.newBufferedWriter(rewritten, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()
                        && !JsonResults.headOf(line).map(retry::test).orElse(false)) {
                    copy.write(line);
                    copy.write('\n');
                }
            }
        }
        try (FileChannel written = FileChannel.open(rewritten, StandardOpenOption.WRITE)) {
            written.force(true);
        }
        Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A process killed while writing leaves a last line without its newline: cut it, the site is audited again. */
    private static void repairTornLine(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            long end = length;
            while (end > 0) {
                raf.seek(end - 1);
                if (raf.read() == '\n') {
                    break;
                }
                end--;
            }
            if (end < length) {
                raf.setLength(end);
            }
        }
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /**
     * Whether the site with ASCII name {@code domain} was found done: it already has a result. The names are packed
     * as a {@link TargetList}'s are (about 33 bytes a site for the whole scan, where a {@code HashSet} took about 95).
     * Called from one thread.
     */
    public boolean isDone(String domain) {
        return done.contains(domain);
    }

    /** The lines of the results file that were not results when the directory was opened. */
    public Skipped skipped() {
        return skipped;
    }

    /** How many results of sites that could not be audited were taken out at opening, to audit those again. */
    public long retried() {
        return retried;
    }

    /** How many sites already had a result when the directory was opened. */
    public int previouslyDone() {
        return previouslyDone;
    }

    /**
     * Appends one result line (a JSON object in UTF-8, without the line end, as the buffer holds it) and flushes it to
     * the operating system, so that a killed process keeps it.
     */
    public void append(ByteArrayOutputStream line) {
        try {
            synchronized (this) {
                line.writeTo(results);
                results.write('\n');
                results.flush();
                written++;
            }
        } catch (IOException e) {
            throw new ScanException(dir.resolve(RESULTS) + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /** How many lines this run wrote. */
    public synchronized long written() {
        return written;
    }

    /** Writes {@code manifest} to {@code manifest.json}, replacing it atomically. */
    public void writeManifest(ObjectNode manifest) {
        Path target = dir.resolve(MANIFEST);
        Path temporary = dir.resolve(MANIFEST + ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), manifest);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ScanException(target + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The lines of a results file, for analysis, without blank lines and without a last line cut short (a scan killed,
     * or still writing, as it is read): every other line is passed on, a damaged one too, so that the caller counts
     * it. The caller closes the stream.
     */
    public static Stream<String> lines(Path dir) throws IOException {
        Path file = dir.resolve(RESULTS);
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no scan results here");
        }
        BufferedReader reader = reader(file);
        Spliterator<String> complete =
                new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
                    private String ahead;
                    private boolean started;

                    @Override
                    public boolean tryAdvance(Consumer<? super String> action) {
                        if (!started) {
                            started = true; // read on first use, inside the caller's try-with-resources
                            ahead = readLine(reader);
                        }
                        while (ahead != null) {
                            String line = ahead;
                            ahead = readLine(reader);
                            if (ahead == null && !line.endsWith("}")) {
                                return false; // the torn end
                            }
                            if (!line.isBlank()) {
                                action.accept(line);
                                return true;
                            }
                        }
                        return false;
                    }
                };
        return StreamSupport.stream(complete, false).onClose(() -> {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A reader of the results file that decodes leniently: a scan killed mid-write can leave a last line cut inside a
     * character, and a damaged line is one line to skip, not a failure of the whole read (as with Files.lines).
     */
    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void close() {
        try {
            results.close();
        } catch (IOException e) {
            throw new ScanException(dir.resolve(RESULTS) + ": cannot close (" + e.getMessage() + ")", e);
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // the lock goes with the channel anyway
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
