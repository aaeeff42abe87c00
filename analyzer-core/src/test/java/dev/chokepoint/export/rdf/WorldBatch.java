package dev.chokepoint.export.rdf;

import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.RunInfo;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Real audits of the test world, DNS only on loopback, as export input: single.test (Cloudflare for DNS and CDN, Google
 * for mail), multi.test (two DNS providers), indirect.test (DNS at hoster.test, whose own zone is on Cloudflare: an
 * indirect single point of failure), indirectsoft.test, and absent.test, which has no zone and cannot be audited.
 */
public final class WorldBatch {
    public static final List<String> SITES =
            List.of("single.test", "multi.test", "indirect.test", "indirectsoft.test", "absent.test");

    private WorldBatch() {}

    /** Audits {@link #SITES} against a fresh loopback server. */
    public static List<AuditResult> audit() throws IOException {
        return audit(SITES);
    }

    /** Audits {@code sites} against a fresh loopback server. */
    public static List<AuditResult> audit(List<String> sites) throws IOException {
        try (ZoneServer server = World.start()) {
            DnsSettings settings = new DnsSettings(List.of(server.address()), Duration.ofSeconds(2), 0);
            Auditor auditor = new Auditor(
                    new DnsjavaClient(DnsjavaClient.resolverFor(settings)),
                    World.datasets().attributor());
            List<AuditResult> results = new ArrayList<>();
            for (String site : sites) {
                results.add(auditor.audit(site, DomainName.parse(site)));
            }
            return results;
        }
    }

    /** A run with fixed times, as a replay would have. */
    public static RunInfo run(String id) {
        return new RunInfo(
                id,
                Instant.parse("2026-11-23T01:00:00Z"),
                Instant.parse("2026-11-23T01:00:05.250Z"),
                "0.1.0-test",
                "2.3.2026061719",
                List.of("127.0.0.1:53"),
                "live");
    }

    /** The batch of {@code results} in run {@code id}. */
    public static ExportBatch batch(String id, List<AuditResult> results) {
        return new ExportBatch(run(id), results);
    }
}
