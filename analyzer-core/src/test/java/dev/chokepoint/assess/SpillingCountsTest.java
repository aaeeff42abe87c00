package dev.chokepoint.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillingCountsTest {
    @TempDir
    Path dir;

    /** What {@link SpillingCounts#forEach} gives, copied: its arrays are reused. */
    private static List<Map.Entry<String, List<Integer>>> read(SpillingCounts counts) {
        List<Map.Entry<String, List<Integer>>> rows = new ArrayList<>();
        counts.forEach((key, row) -> rows.add(row(key, row)));
        return rows;
    }

    private static List<Map.Entry<String, List<Integer>>> rows(TreeMap<String, int[]> expected) {
        return expected.entrySet().stream()
                .map(e -> row(e.getKey(), e.getValue()))
                .toList();
    }

    private static Map.Entry<String, List<Integer>> row(String key, int[] counts) {
        return Map.entry(key, List.of(counts[0], counts[1]));
    }

    private long files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void sumsEveryKeyInKeyOrderAcrossSpillsAndMerges() throws IOException {
        Random random = new Random(7);
        TreeMap<String, int[]> expected = new TreeMap<>();
        // 40 keys in memory at most, 3,000 distinct keys: dozens of spills, so the files are merged as they come.
        try (SpillingCounts counts = new SpillingCounts(2, 40, dir)) {
            for (int i = 0; i < 60_000; i++) {
                // Some keys beyond ASCII, and prefixes of one another, to check the order is String's.
                String key =
                        switch (random.nextInt(3)) {
                            case 0 -> "ns" + random.nextInt(1000) + ".example.";
                            case 1 -> "ns" + random.nextInt(1000);
                            default -> "bücher-" + random.nextInt(1000) + ".de";
                        };
                int column = random.nextInt(2);
                int amount = 1 + random.nextInt(5);
                counts.add(key, column, amount);
                expected.computeIfAbsent(key, k -> new int[2])[column] += amount;
            }
            assertThat(counts.spilled()).isTrue();
            assertThat(files()).isBetween(1L, (long) SpillingCounts.MAX_RUNS);
            assertThat(read(counts)).isEqualTo(rows(expected));
            // Reading does not consume: a second read gives the same.
            assertThat(read(counts)).isEqualTo(rows(expected));
        }
        assertThat(files()).isZero();
    }

    @Test
    void writesNothingWhileTheKeysFit() throws IOException {
        SpillingCounts counts = new SpillingCounts(2, 3, dir);
        counts.add("b", 0, 1);
        counts.add("a", 1, 2);
        counts.add("b", 0, 4);
        counts.add("c", 1, 1);

        assertThat(counts.spilled()).isFalse();
        assertThat(files()).isZero();
        assertThat(read(counts))
                .containsExactly(
                        Map.entry("a", List.of(0, 2)), Map.entry("b", List.of(5, 0)), Map.entry("c", List.of(0, 1)));
    }

    @Test
    void clearForgetsTheKeysAndDeletesTheFiles() throws IOException {
        SpillingCounts counts = new SpillingCounts(2, 1, dir);
        counts.add("a", 0, 1);
        counts.add("b", 0, 1);
        counts.add("c", 0, 1);
        assertThat(files()).isPositive();

        counts.clear();

        assertThat(files()).isZero();
        assertThat(counts.spilled()).isFalse();
        counts.add("d", 1, 3);
        assertThat(read(counts)).containsExactly(Map.entry("d", List.of(0, 3)));
    }

    @Test
    void aDirectoryItCannotWriteIsAnErrorNamingIt() {
        Path missing = dir.resolve("missing");
        SpillingCounts counts = new SpillingCounts(1, 1, missing);
        counts.add("a", 0, 1);

        assertThatThrownBy(() -> counts.add("b", 0, 1))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot create a temporary file for counts in " + missing + " (no such directory)");
    }
}
