package dev.chokepoint.testdns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generated world for batch tests: {@code sites} sites spread over a few DNS providers (one of which sits on
 * another), some multi-homed, some self-hosted, each with its own zone. Deterministic.
 */
public final class GeneratedWorld {
    private final Map<String, String> zones = new LinkedHashMap<>();
    private final List<String> sites = new ArrayList<>();

    private GeneratedWorld() {}

    /** Generates a world of {@code count} sites named {@code s0001.batch.test} and so on. */
    public static GeneratedWorld of(int count) {
        GeneratedWorld world = new GeneratedWorld();
        String soa = "$TTL 300\n@ IN SOA %s hostmaster.%s 1 7200 3600 1209600 300\n";
        // Five DNS providers; dnsfive's own zone is served by dnsone (an indirect dependency).
        for (int p = 1; p <= 5; p++) {
            String zone = "dns" + p + ".test";
            StringBuilder text = new StringBuilder(String.format(soa, "ns1." + zone + ".", zone + "."));
            if (p == 5) {
                text.append("@ IN NS ns1.dns1.test.\n@ IN NS ns2.dns1.test.\n");
            } else {
                text.append("@ IN NS ns1.")
                        .append(zone)
                        .append(".\n@ IN NS ns2.")
                        .append(zone)
                        .append(".\n");
            }
            text.append("ns1 IN A 198.51.").append(p).append(".1\n");
            text.append("ns2 IN A 203.0.").append(p).append(".1\n");
            world.zones.put(zone, text.toString());
        }
        for (int i = 1; i <= count; i++) {
            String site = String.format("s%04d.batch-%d.test", i, i % 7);
            world.sites.add(site);
            StringBuilder text = new StringBuilder(String.format(soa, "ns1." + site + ".", site + "."));
            int provider = 1 + (i % 10 < 5 ? 0 : i % 10 < 7 ? 1 : i % 10 < 8 ? 2 : i % 10 < 9 ? 3 : 4);
            if (i % 13 == 0) {
                // self-hosted, nameservers inside the zone
                text.append("@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.")
                        .append(i % 250 + 1)
                        .append("\nns2 IN A 192.0.2.")
                        .append((i + 1) % 250 + 1)
                        .append("\n");
            } else {
                text.append("@ IN NS ns1.dns").append(provider).append(".test.\n");
                text.append("@ IN NS ns2.dns").append(provider).append(".test.\n");
                if (i % 11 == 0) {
                    int second = provider % 5 + 1;
                    text.append("@ IN NS ns1.dns").append(second).append(".test.\n");
                }
            }
            text.append("@ IN A 192.0.2.").append(i % 250 + 1).append("\n");
            text.append("www IN CNAME @\n");
            world.zones.put(site, text.toString());
        }
        return world;
    }

    /** The zone texts by origin, for {@link ZoneServer#start(Map)}. */
    public Map<String, String> zones() {
        return zones;
    }

    /** The site names, in order. */
    public List<String> sites() {
        return List.copyOf(sites);
    }
}
