package dev.chokepoint.assess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.dns.DnsCollector;
import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.GraphBuilder;
import dev.chokepoint.graph.Node;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The survival formula must agree with the failure model it summarises, on every world site and failure. */
class SurvivalFormulaTest {
    private static final List<String> SITES = List.of(
            "single.test",
            "multi.test",
            "indirect.test",
            "indirectsoft.test",
            "onens.test",
            "lame.test",
            "partial.test",
            "loop.test",
            "long.test",
            "soaself.test",
            "youtube.com",
            "dangling.test",
            "prefix.test");

    @Test
    void formulaAgreesWithTheFailureModelForEverySingleAndPairwiseFailure() throws Exception {
        try (ZoneServer server = World.start()) {
            DnsCollector collector = new DnsCollector(new DnsjavaClient(
                    DnsjavaClient.resolverFor(new DnsSettings(List.of(server.address()), Duration.ofSeconds(2), 0))));
            GraphBuilder builder = new GraphBuilder(World.datasets().attributor());
            int checked = 0;
            for (String domain : SITES) {
                DependencyGraph graph = builder.build(collector.collect(DomainName.parse(domain)));
                Node.Site site = new Node.Site(domain);
                List<Survival> formulas = SurvivalFormula.of(graph, site);
                FailureModel model = new FailureModel(graph);
                Set<String> components = new TreeSet<>();
                formulas.forEach(f -> components.addAll(f.components()));
                List<Set<String>> failures = new ArrayList<>();
                failures.add(Set.of());
                for (String a : components) {
                    failures.add(Set.of(a));
                    for (String b : components) {
                        if (a.compareTo(b) < 0) {
                            failures.add(Set.of(a, b));
                        }
                    }
                }
                for (Survival survival : formulas) {
                    Node.Need need = graph.need(
                                    site,
                                    dev.chokepoint.provider.Service.valueOf(
                                            survival.service().toUpperCase(java.util.Locale.ROOT)))
                            .orElseThrow();
                    for (Set<String> failed : failures) {
                        assertThat(survival.survives(failed))
                                .as("%s %s with %s failed", domain, survival.service(), failed)
                                .isEqualTo(model.works(need, failed));
                        checked++;
                    }
                }
            }
            assertThat(checked).isGreaterThan(100);
        }
    }

    @Test
    void organisationNameFailsAllItsServices() {
        Survival dns = new Survival("dns", true, List.of(Set.of("cloudflare:dns")), false);

        assertThat(dns.survives(Set.of("cloudflare"))).isFalse();
        assertThat(dns.survives(Set.of("cloudflare:cdn"))).isTrue();
        assertThat(dns.survives(Set.of("AS13335"))).isTrue();
    }

    @Test
    void serviceWithoutAlternativesNeverSurvives() {
        assertThat(new Survival("dns", true, List.of(), false).survives(Set.of()))
                .isFalse();
        assertThat(new Survival("dns", true, List.of(Set.of()), false).survives(Set.of("anything")))
                .isTrue();
    }
}
