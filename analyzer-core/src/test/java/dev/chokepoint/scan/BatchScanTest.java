package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.JsonReport;
import dev.chokepoint.testdns.GeneratedWorld;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchScanTest {
    private static GeneratedWorld world;
    private static ZoneServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        world = GeneratedWorld.of(60);
        server = ZoneServer.start(world.zones());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Auditor auditor() {
        DnsSettings dns = new DnsSettings(List.of(server.address()), Duration.ofSeconds(2), 1);
        return new Auditor(
                new DnsjavaClient(DnsjavaClient.resolverFor(dns), 10_000, 0),
                World.datasets().attributor());
    }

    private static TargetList targets() {
        return new TargetList(new BufferedReader(new StringReader(String.join("\n", world.sites()))), 0);
    }

    private static long lines(Path out) throws Exception {
        try (Stream<String> lines = ScanDirectory.lines(out)) {
            return lines.count();
        }
    }

    @Test
    void everyResultLineWaitsForTheEvidenceOfWhatWasObservedBeforeIt() throws Exception {
        Path out = dir.resolve("scan");
        AtomicInteger waits = new AtomicInteger();
        try (ScanDirectory directory = ScanDirectory.open(out)) {
            BatchScan.Outcome outcome =
                    BatchScan.run(targets(), directory, auditor(), 8, result -> {}, waits::incrementAndGet);

            assertThat(outcome.audited()).isEqualTo(world.sites().size());
        }
        assertThat(waits).hasValue(world.sites().size());
        assertThat(lines(out)).isEqualTo(world.sites().size());
    }

    @Test
    void eachLineIsItsOwnSiteWhateverBufferItWasWrittenIn() throws Exception {
        // Line buffers are reused from site to site: each line must be its own site's, whole, and nothing more.
        Path out = dir.resolve("scan");
        Set<String> expected = ConcurrentHashMap.newKeySet();
        try (ScanDirectory directory = ScanDirectory.open(out)) {
            BatchScan.run(
                    targets(),
                    directory,
                    auditor(),
                    8,
                    result -> expected.add(new String(JsonReport.line(result), StandardCharsets.UTF_8)));
        }
        try (Stream<String> lines = ScanDirectory.lines(out)) {
            assertThat(lines.toList()).hasSize(world.sites().size()).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(expected.stream().mapToInt(String::length).distinct().count())
                .as("sites of different line lengths, so that a reused buffer not emptied would show")
                .isGreaterThan(1);
    }

    @Test
    void scanStopsWhenItsEvidenceCannotBeRecordedAndKeepsWhatWasWritten() throws Exception {
        Path out = dir.resolve("failing");
        AtomicInteger waits = new AtomicInteger();
        BatchScan.Evidence diskFullAfterTen = () -> {
            if (waits.incrementAndGet() > 10) {
                throw new ScanException("snapshot.warc.gz: cannot write snapshot (No space left on device)", null);
            }
        };
        try (ScanDirectory directory = ScanDirectory.open(out)) {
            assertThatThrownBy(() -> BatchScan.run(targets(), directory, auditor(), 4, result -> {}, diskFullAfterTen))
                    .isInstanceOf(ScanException.class)
                    .hasMessageContaining("No space left on device");
        }

        assertThat(lines(out)).isEqualTo(10);
        assertThat(waits.get()).isLessThan(world.sites().size());
    }

    @Test
    void aBugInTheListenerStopsTheScanInsteadOfVanishing() throws Exception {
        Path out = dir.resolve("bug");
        AtomicInteger told = new AtomicInteger();
        BatchScan.Listener brokenAtTheTenth = result -> {
            if (told.incrementAndGet() == 10) {
                throw new IllegalStateException("counter broken");
            }
        };
        try (ScanDirectory directory = ScanDirectory.open(out)) {
            assertThatThrownBy(() -> BatchScan.run(targets(), directory, auditor(), 4, brokenAtTheTenth))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("counter broken");
        }

        // The lines written stay; the scan stopped taking sites soon after (at most the ones in flight went on).
        assertThat(lines(out)).isBetween(10L, 10L + 4);
    }
}
