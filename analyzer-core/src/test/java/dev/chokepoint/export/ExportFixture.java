package dev.chokepoint.export;

import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.snapshot.WarcSnapshot;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.web.WebSettings;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Real DNS-only audits of the loopback test world, as the batches that graph exports take. */
final class ExportFixture {
    /** Sites sharing Cloudflare (single, multi), one with an indirect DNS dependency, one with no working DNS. */
    static final List<String> SITES = List.of("single.test", "multi.test", "indirect.test", "lame.test");

    private ExportFixture() {}

    /** Audits {@code sites} against the test world on loopback, in reverse so that the batch has to sort them. */
    static List<AuditResult> audit(List<String> sites) throws IOException {
        return dev.chokepoint.export.rdf.WorldBatch.audit(sites.reversed());
    }

    /** The sites of the bundled sample snapshot (DNS and web), as replay knows them. */
    static final List<String> SAMPLE_SITES =
            List.of("example.com", "example.net", "example.org", "xn--bcher-kva.example");

    /** Replays the bundled sample snapshot, web included: no packet leaves the process. */
    static List<AuditResult> replaySample() {
        WarcSnapshot snapshot = WarcSnapshot.read(World.root().resolve("datasets/samples/sample.warc.gz"));
        Auditor auditor = new Auditor(
                new DnsjavaClient(snapshot), World.datasets().attributor(), snapshot, WebSettings.defaults());
        List<AuditResult> results = new ArrayList<>();
        for (String site : SAMPLE_SITES) {
            results.add(auditor.audit(site, DomainName.parse(site)));
        }
        return results;
    }

    /** A batch of {@code results} plus one target whose audit failed. */
    static ExportBatch batch(List<AuditResult> results) {
        List<AuditResult> all = new ArrayList<>(results);
        all.add(AuditResult.failed("broken.test", DomainName.parse("broken.test"), "no resolver answered: timeout"));
        return new ExportBatch(run(), all);
    }

    static RunInfo run() {
        return new RunInfo(
                "test-run-1",
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:05Z"),
                "0.0.0-test",
                "2.3.2026061719",
                List.of("127.0.0.1"),
                "live");
    }
}
