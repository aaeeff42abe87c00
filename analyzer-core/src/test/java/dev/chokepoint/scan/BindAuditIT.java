package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.JsonReport;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.BindServer;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit against Debian's BIND serving the test world gives what it gives against the in-process server. */
class BindAuditIT {
    private static final List<String> SITES = List.of(
            "single.test",
            "multi.test",
            "indirect.test",
            "loop.test",
            "long.test",
            "lame.test",
            "bigtxt.test",
            "shop.caa.test",
            "youtube.com",
            "soaself.test");

    private static String audit(InetSocketAddress server) {
        Datasets datasets = World.datasets();
        DnsSettings settings = new DnsSettings(List.of(server), Duration.ofSeconds(2), 1);
        Auditor auditor = new Auditor(new DnsjavaClient(DnsjavaClient.resolverFor(settings)), datasets.attributor());
        List<AuditResult> results = new ArrayList<>();
        for (String site : SITES) {
            results.add(auditor.audit(site, DomainName.parse(site)));
        }
        return JsonReport.toJson(results, datasets).toPrettyString();
    }

    @Test
    void auditAgainstBindEqualsAuditAgainstTheZoneServer() throws Exception {
        assumeTrue(BindServer.namedBinary().isPresent(), "BIND (named) is not installed");
        String viaZoneServer;
        try (ZoneServer server = World.start()) {
            viaZoneServer = audit(server.address());
        }
        String viaBind;
        try (BindServer bind = BindServer.start(World.zones())) {
            viaBind = audit(bind.address());
        }

        assertThat(viaBind).contains("\"cname-loop\"", "\"dns-indirect-dependency\"", "\"cloudflare:dns\"");
        assertThat(viaBind).isEqualTo(viaZoneServer);
    }
}
