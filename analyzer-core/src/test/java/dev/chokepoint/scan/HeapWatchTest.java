package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeapWatchTest {
    /** Runs full collections until the watch says the heap is full, for at most {@code seconds}. */
    private static Optional<String> collectAndWait(HeapWatch watch, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (watch.exceeded().isEmpty() && System.nanoTime() < deadline) {
            System.gc(); // a full collection with the JVM's default collectors
            Thread.sleep(50);
        }
        return watch.exceeded();
    }

    @Test
    void aFullCollectionThatLeavesMoreThanTheShareInUseIsReported() throws InterruptedException {
        // Any live data at all is more than a billionth of the old generation.
        try (HeapWatch watch = HeapWatch.start(1e-9)) {
            assertThat(watch.watching()).isTrue();

            assertThat(collectAndWait(watch, 20)).hasValueSatisfying(full -> assertThat(full)
                    .matches(".+ was \\d+% full after a full collection" + " \\(\\d+ of \\d+ MB\\)"));
        }
    }

    @Test
    void aHeapBelowTheShareIsNotReportedAndClosingRemovesTheThreshold() throws InterruptedException {
        HeapWatch watch = HeapWatch.start(1.0);
        // Nothing is more than all of the old generation.
        assertThat(collectAndWait(watch, 1)).isEmpty();

        watch.close();

        assertThat(ManagementFactory.getMemoryPoolMXBeans())
                .filteredOn(MemoryPoolMXBean::isCollectionUsageThresholdSupported)
                .allSatisfy(
                        pool -> assertThat(pool.getCollectionUsageThreshold()).isZero());
    }

    @Test
    void aNotificationAboutAnotherWatchsLowerThresholdIsNotTakenForOwn() throws InterruptedException {
        // Notifications go to every listener of the JVM, so one scan's watch hears of another's threshold.
        try (HeapWatch whole = HeapWatch.start(1.0);
                HeapWatch low = HeapWatch.start(1e-9)) {
            assertThat(collectAndWait(low, 20)).isPresent();
            Thread.sleep(200); // notifications are delivered on a thread of their own

            assertThat(whole.exceeded()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.5, 1.01, Double.NaN})
    void aShareOutsideZeroToOneIsRefused(double fraction) {
        assertThatThrownBy(() -> HeapWatch.start(fraction)).isInstanceOf(IllegalArgumentException.class);
    }
}
