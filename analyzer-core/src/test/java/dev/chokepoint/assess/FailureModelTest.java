package dev.chokepoint.assess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.Dependency.Relation;
import dev.chokepoint.graph.Dependency.Requirement;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.HostState;
import dev.chokepoint.graph.Node;
import dev.chokepoint.provider.Evidence;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The failure semantics on hand-built graphs with known answers. */
class FailureModelTest {
    private static final Evidence EVIDENCE = new Evidence("record", "rule");

    private static Node.Operator operator(String org) {
        return new Node.Operator(new Provider(org, org, Service.DNS, true));
    }

    /** site -> dns -> {ns1 (p1), ns2 (p2)}; ns1's own zone is served by p3 alone. */
    private static DependencyGraph twoProvidersOneIndirect() {
        DependencyGraph g = new DependencyGraph();
        Node.Site site = new Node.Site("example.com");
        Node.Need dns = new Node.Need("example.com", Service.DNS);
        Node.Host ns1 = new Node.Host("ns1.p1.net");
        Node.Host ns2 = new Node.Host("ns2.p2.net");
        Node.Need p1Zone = new Node.Need("p1.net", Service.DNS);
        Node.Host p3Host = new Node.Host("ns.p3.org");
        g.depend(site, dns, Dependency.of(Relation.NEEDS, Requirement.ALL));
        g.depend(dns, ns1, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
        g.depend(dns, ns2, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
        g.depend(ns1, operator("p1"), Dependency.operatedBy(Party.THIRD, EVIDENCE));
        g.depend(ns2, operator("p2"), Dependency.operatedBy(Party.THIRD, EVIDENCE));
        g.depend(ns1, p1Zone, Dependency.of(Relation.RESOLVED_VIA, Requirement.ALL));
        g.depend(p1Zone, p3Host, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
        g.depend(p3Host, operator("p3"), Dependency.operatedBy(Party.THIRD, EVIDENCE));
        return g;
    }

    @Test
    void alternativesSurviveTheFailureOfOneProvider() {
        DependencyGraph g = twoProvidersOneIndirect();
        FailureModel model = new FailureModel(g);
        Node.Site site = new Node.Site("example.com");

        assertThat(model.works(site, Set.of())).isTrue();
        assertThat(model.works(site, Set.of("p1:dns"))).isTrue();
        assertThat(model.works(site, Set.of("p2:dns"))).isTrue();
        assertThat(model.works(site, Set.of("p3:dns"))).isTrue();
    }

    @Test
    void failingEveryAlternativeTakesTheServiceDownIncludingThroughAnIndirectPath() {
        FailureModel model = new FailureModel(twoProvidersOneIndirect());
        Node.Site site = new Node.Site("example.com");

        assertThat(model.works(site, Set.of("p1:dns", "p2:dns"))).isFalse();
        assertThat(model.works(site, Set.of("p3:dns", "p2:dns"))).isFalse();
        assertThat(model.works(site, Set.of("p3", "p2")))
                .as("organisation ids fail all their services")
                .isFalse();
    }

    @Test
    void hostWhoseLookupFailedDoesNotWork() {
        DependencyGraph g = twoProvidersOneIndirect();
        g.state(new Node.Host("ns2.p2.net"), new HostState(HostState.Reachability.NXDOMAIN, "gone", 0));
        FailureModel model = new FailureModel(g);

        assertThat(model.works(new Node.Site("example.com"), Set.of())).isTrue();
        assertThat(model.works(new Node.Site("example.com"), Set.of("p1:dns"))).isFalse();
    }

    @Test
    void softDependencyNeverTakesTheSiteDown() {
        DependencyGraph g = new DependencyGraph();
        Node.Site site = new Node.Site("example.com");
        Node.Need ca = new Node.Need("example.com", Service.CA);
        Node.Host issuer = new Node.Host("letsencrypt.org");
        g.depend(site, ca, Dependency.of(Relation.NEEDS, Requirement.ALL, Dependency.Strength.SOFT));
        g.depend(ca, issuer, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
        g.depend(issuer, operator("le"), Dependency.operatedBy(Party.THIRD, EVIDENCE));
        FailureModel model = new FailureModel(g);

        assertThat(model.works(site, Set.of("le:dns"))).isTrue();
        assertThat(model.works(ca, Set.of("le:dns"))).isFalse();
    }

    @Test
    void serviceWithNothingToServeItDoesNotWork() {
        DependencyGraph g = new DependencyGraph();
        Node.Need dns = g.add(new Node.Need("example.com", Service.DNS));

        assertThat(new FailureModel(g).works(dns, Set.of())).isFalse();
    }

    @Test
    void networkFailureIsNamedByAsn() {
        DependencyGraph g = new DependencyGraph();
        Node.Host host = new Node.Host("ns1.example.com");
        Node.Address address = new Node.Address("192.0.2.1");
        g.depend(host, address, Dependency.of(Relation.RESOLVES_TO, Requirement.ANY));
        g.depend(address, new Node.Network(64500, "Example"), Dependency.of(Relation.ROUTED_BY, Requirement.ALL));
        FailureModel model = new FailureModel(g);

        assertThat(model.works(host, Set.of("AS64501"))).isTrue();
        assertThat(model.works(host, Set.of("AS64500"))).isFalse();
    }
}
