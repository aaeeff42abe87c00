package dev.chokepoint.assess;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;

/**
 * Integer counters by string key with at most a bound of keys in memory, for counts that get one key per site (a
 * site's own nameservers, its own NS set): past the bound, the keys are written to a temporary file in key order with
 * their counts and the map starts empty again. {@link #forEach} merges the files and the map in key order, summing
 * each key's counts, so the result is exact whatever the number of keys; memory is the bound's worth of entries and,
 * while merging, a read buffer per file. More than {@value #MAX_RUNS} files are merged into one as they come, so that
 * a merge never holds more open.
 *
 * <p>The files are in {@code java.io.tmpdir}, deleted by {@link #clear} and {@link #close}, and nothing is written
 * while the keys fit. Keys are compared with {@link String#compareTo}. A failure to write or read a file is an {@link
 * UncheckedIOException} naming it. Not thread-safe.
 */
final class SpillingCounts implements AutoCloseable {
    static final int MAX_RUNS = 32;

    private static final int BUFFER_BYTES = 1 << 16;

    private static final String PREFIX = "chokepoint-counts-";

    private final int width;
    private final int bound;
    private final Path directory;
    private Map<String, int[]> counts = new HashMap<>();
    private final List<Path> runs = new ArrayList<>();

    /** Counters of {@code width} columns per key, spilled past {@code bound} keys in memory (at least one). */
    SpillingCounts(int width, int bound) {
        this(width, bound, null);
    }

    /** {@link #SpillingCounts(int, int)} with its files in {@code directory}, or the temporary directory if null. */
    SpillingCounts(int width, int bound, Path directory) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive: " + width);
        }
        this.width = width;
        this.bound = Math.max(1, bound);
        this.directory = directory;
    }

    /** Adds {@code amount} to column {@code column} of {@code key}. */
    void add(String key, int column, int amount) {
        int[] row = counts.get(key);
        if (row == null) {
            row = new int[width];
            counts.put(key, row);
        }
        row[column] += amount;
        if (counts.size() > bound) {
            spill();
        }
    }

    /** Whether any key was written out: more than the bound of distinct keys were added since the last clear. */
    boolean spilled() {
        return !runs.isEmpty();
    }

    /**
     * Calls {@code action} once per key added since the last clear, in key order, with its summed counts (an array
     * the action must not keep: it is reused).
     */
    void forEach(BiConsumer<String, int[]> action) {
        List<Cursor> cursors = new ArrayList<>();
        try {
            for (Path run : runs) {
                cursors.add(new FileCursor(run, width));
            }
            cursors.add(new MemoryCursor(sorted()));
            merge(cursors, width, action);
        } finally {
            cursors.forEach(Cursor::close);
        }
    }

    /** Forgets every key and deletes the files. */
    void clear() {
        counts = new HashMap<>();
        runs.forEach(SpillingCounts::delete);
        runs.clear();
    }

    @Override
    public void close() {
        clear();
    }

    private List<Map.Entry<String, int[]>> sorted() {
        List<Map.Entry<String, int[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }

    private void spill() {
        Path run = write(sorted().iterator());
        runs.add(run);
        counts = new HashMap<>();
        if (runs.size() > MAX_RUNS) {
            compact();
        }
    }

    /** Merges every file into one. */
    private void compact() {
        List<Cursor> cursors = new ArrayList<>();
        Path merged = newRun();
        try (DataOutputStream out = output(merged)) {
            for (Path run : runs) {
                cursors.add(new FileCursor(run, width));
            }
            merge(cursors, width, (key, row) -> {
                try {
                    writeRow(out, key, row);
                } catch (IOException e) {
                    throw failure("write", merged, e);
                }
            });
        } catch (IOException e) {
            delete(merged);
            throw failure("write", merged, e);
        } catch (UncheckedIOException e) {
            delete(merged);
            throw e;
        } finally {
            cursors.forEach(Cursor::close);
        }
        runs.forEach(SpillingCounts::delete);
        runs.clear();
        runs.add(merged);
    }

    private Path write(Iterator<Map.Entry<String, int[]>> entries) {
        Path run = newRun();
        try (DataOutputStream out = output(run)) {
            while (entries.hasNext()) {
                Map.Entry<String, int[]> entry = entries.next();
                writeRow(out, entry.getKey(), entry.getValue());
            }
        } catch (IOException e) {
            delete(run);
            throw failure("write", run, e);
        }
        return run;
    }

    private static void writeRow(DataOutputStream out, String key, int[] row) throws IOException {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
        for (int value : row) {
            out.writeInt(value);
        }
    }

    private Path newRun() {
        try {
            Path run = directory == null
                    ? Files.createTempFile(PREFIX, ".bin")
                    : Files.createTempFile(directory, PREFIX, ".bin");
            // Also when the process ends without clearing (a scan stopped before its report).
            run.toFile().deleteOnExit();
            return run;
        } catch (IOException e) {
            Object where = directory == null ? System.getProperty("java.io.tmpdir") : directory;
            String reason = e instanceof NoSuchFileException ? "no such directory" : e.getMessage();
            throw new UncheckedIOException(
                    "cannot create a temporary file for counts in " + where + " (" + reason + ")", e);
        }
    }

    private static DataOutputStream output(Path run) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), BUFFER_BYTES));
    }

    private static UncheckedIOException failure(String verb, Path run, IOException e) {
        return new UncheckedIOException("cannot " + verb + " the counts file " + run + " (" + e.getMessage() + ")", e);
    }

    private static void delete(Path run) {
        try {
            Files.deleteIfExists(run);
        } catch (IOException e) {
            // A temporary file left behind is harmless; nothing to tell the caller.
        }
    }

    /** K-way merge of sorted cursors, summing the counts of equal keys. */
    private static void merge(List<Cursor> cursors, int width, BiConsumer<String, int[]> action) {
        PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> a.key().compareTo(b.key()));
        for (Cursor cursor : cursors) {
            if (cursor.advance()) {
                queue.add(cursor);
            }
        }
        int[] sum = new int[width];
        while (!queue.isEmpty()) {
            Cursor first = queue.poll();
            String key = first.key();
            System.arraycopy(first.row(), 0, sum, 0, width);
            if (first.advance()) {
                queue.add(first);
            }
            while (!queue.isEmpty() && queue.peek().key().equals(key)) {
                Cursor next = queue.poll();
                int[] row = next.row();
                for (int i = 0; i < width; i++) {
                    sum[i] += row[i];
                }
                if (next.advance()) {
                    queue.add(next);
                }
            }
            action.accept(key, sum);
            Arrays.fill(sum, 0);
        }
    }

    /** Sorted keys with their counts, read one at a time. */
    private interface Cursor {
        /** Moves to the next key; whether there is one. */
        boolean advance();

        String key();

        int[] row();

        default void close() {}
    }

    private static final class MemoryCursor implements Cursor {
        private final Iterator<Map.Entry<String, int[]>> entries;
        private Map.Entry<String, int[]> current;

        MemoryCursor(List<Map.Entry<String, int[]>> entries) {
            this.entries = entries.iterator();
        }

        @Override
        public boolean advance() {
            current = entries.hasNext() ? entries.next() : null;
            return current != null;
        }

        @Override
        public String key() {
            return current.getKey();
        }

        @Override
        public int[] row() {
            return current.getValue();
        }
    }

    private static final class FileCursor implements Cursor {
        private final Path run;
        private final DataInputStream in;
        private final int[] row;
        private String key;

        FileCursor(Path run, int width) {
            this.run = run;
            this.row = new int[width];
            try {
                this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), BUFFER_BYTES));
            } catch (IOException e) {
                throw failure("read", run, e);
            }
        }

        @Override
        public boolean advance() {
            try {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    key = null;
                    return false;
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                key = new String(bytes, StandardCharsets.UTF_8);
                for (int i = 0; i < row.length; i++) {
                    row[i] = in.readInt();
                }
                return true;
            } catch (IOException e) {
                throw failure("read", run, e);
            }
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public int[] row() {
            return row;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // Read to the end or failed already; closing has nothing to add.
            }
        }
    }
}
