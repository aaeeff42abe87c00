package dev.chokepoint.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.JsonReport;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Resolver;

class ReplayTest {
    private static final List<String> SITES =
            List.of("single.test", "multi.test", "indirect.test", "loop.test", "long.test", "bigtxt.test");

    @TempDir
    Path dir;

    private static String audit(Resolver resolver, Datasets datasets) {
        Auditor auditor = new Auditor(new DnsjavaClient(resolver), datasets.attributor());
        List<AuditResult> results = new ArrayList<>();
        for (String site : SITES) {
            results.add(auditor.audit(site, DomainName.parse(site)));
        }
        return JsonReport.toJson(results, datasets).toPrettyString();
    }

    @Test
    void replayedAuditEqualsTheLiveOne() throws Exception {
        Datasets datasets = World.datasets();
        Path warc = dir.resolve("world.warc.gz");
        String live;
        try (ZoneServer server = World.start()) {
            Resolver network =
                    DnsjavaClient.resolverFor(new DnsSettings(List.of(server.address()), Duration.ofSeconds(2), 0));
            try (WarcRecorder recorder = WarcRecorder.create(warc, Map.of("software", "test"))) {
                live = audit(
                        new RecordingResolver(
                                network, recorder, Optional.of(server.address().getAddress())),
                        datasets);
            }
        }
        // The server is gone: the replay cannot reach the network even by mistake.
        WarcSnapshot snapshot = WarcSnapshot.read(warc);
        String replayed = audit(snapshot, datasets);

        assertThat(snapshot.size()).isGreaterThan(20);
        assertThat(snapshot.info()).containsEntry("software", "test");
        assertThat(replayed).isEqualTo(live);
        assertThat(live).contains("\"cname-loop\"", "\"dns-indirect-dependency\"");
    }

    @Test
    void questionMissingFromTheSnapshotTimesOut() throws Exception {
        Path warc = dir.resolve("empty.warc");
        WarcRecorder.create(warc, Map.of()).close();

        AuditResult result = new Auditor(
                        new DnsjavaClient(WarcSnapshot.read(warc)),
                        World.datasets().attributor())
                .audit("single.test", DomainName.parse("single.test"));

        assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("no resolver answered"));
    }

    @Test
    void unreadableSnapshotIsAnErrorNamingTheFile() throws Exception {
        Path bogus = dir.resolve("bogus.warc");
        Files.writeString(bogus, "this is not a WARC file\n");

        assertThatThrownBy(() -> WarcSnapshot.read(bogus))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("bogus.warc");
        assertThatThrownBy(() -> WarcSnapshot.read(dir.resolve("absent.warc")))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining("absent.warc")
                .hasMessageContaining("no such snapshot file");
    }
}
