package dev.chokepoint.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.graph.Dependency.Relation;
import dev.chokepoint.graph.Dependency.Requirement;
import dev.chokepoint.graph.Dependency.Strength;
import dev.chokepoint.provider.Evidence;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
    private static final Node.Host MX = new Node.Host("mx.shared.example");
    private static final Node.Operator OPERATOR =
            new Node.Operator(new Provider("shared", "Shared", Service.MAIL, true));

    /** The graph of a site whose mail goes to the shared host, attributed with {@code party}. */
    private static DependencyGraph site(String domain, Party party, Strength strength) {
        DependencyGraph graph = new DependencyGraph();
        Node.Site site = graph.add(new Node.Site(domain));
        graph.facts(
                site,
                new SiteFacts(
                        domain,
                        domain,
                        domain,
                        "answer",
                        java.util.Optional.empty(),
                        false,
                        java.util.Optional.empty()));
        Node.Need need = new Node.Need(domain, Service.MAIL);
        graph.depend(site, need, Dependency.of(Relation.NEEDS, Requirement.ALL, strength));
        graph.depend(need, MX, Dependency.of(Relation.SERVED_BY, Requirement.ANY, strength));
        graph.depend(MX, OPERATOR, Dependency.operatedBy(party, new Evidence(domain + " MX 10 " + MX.name(), "rule")));
        graph.state(MX, new HostState(HostState.Reachability.RESOLVED, "", 0));
        return graph;
    }

    private static Dependency operatedBy(DependencyGraph union) {
        return union.graph().getEdge(MX, OPERATOR);
    }

    @Test
    void dependAddsOneEdgePerPairAndKeepsTheFirstInEitherStorage() {
        for (DependencyGraph graph : List.of(new DependencyGraph(), DependencyGraph.forBatch())) {
            Node.Need need = new Node.Need("a.example", Service.MAIL);
            Dependency first = Dependency.of(Relation.SERVED_BY, Requirement.ANY);
            Dependency second = Dependency.of(Relation.SERVED_BY, Requirement.ALL);

            assertThat(graph.depend(need, MX, first)).isTrue();
            assertThat(graph.depend(need, MX, second)).isFalse();
            assertThat(graph.depend(MX, MX, second)).isFalse();
            // The other direction is another pair.
            assertThat(graph.depend(MX, need, second)).isTrue();

            assertThat(graph.graph().getEdge(need, MX)).isSameAs(first);
            assertThat(graph.graph().edgeSet()).hasSize(2);
            assertThat(graph.graph().vertexSet()).containsExactlyInAnyOrder(need, MX);
        }
    }

    @Test
    void unionHoldsSharedVerticesAndEdgesOnce() {
        DependencyGraph union = DependencyGraph.union(
                List.of(site("a.example", Party.THIRD, Strength.HARD), site("b.example", Party.THIRD, Strength.HARD)));

        // Two sites, two services, one shared host and one shared operator.
        assertThat(union.graph().vertexSet()).hasSize(6);
        assertThat(union.graph().edgeSet()).hasSize(5);
        assertThat(union.sites()).extracting(Node.Site::domain).containsExactly("a.example", "b.example");
        assertThat(union.state(MX).reachability()).isEqualTo(HostState.Reachability.RESOLVED);
    }

    @Test
    void partyIsFirstOnlyWhenEverySiteSaysFirst() {
        assertThat(operatedBy(DependencyGraph.union(List.of(
                                site("a.example", Party.FIRST, Strength.HARD),
                                site("b.example", Party.FIRST, Strength.HARD))))
                        .party())
                .contains(Party.FIRST);
        assertThat(operatedBy(DependencyGraph.union(List.of(
                                site("a.example", Party.FIRST, Strength.HARD),
                                site("b.example", Party.THIRD, Strength.HARD),
                                site("c.example", Party.UNKNOWN, Strength.HARD))))
                        .party())
                .contains(Party.THIRD);
        assertThat(operatedBy(DependencyGraph.union(List.of(
                                site("a.example", Party.FIRST, Strength.HARD),
                                site("b.example", Party.UNKNOWN, Strength.HARD))))
                        .party())
                .contains(Party.UNKNOWN);
    }

    @Test
    void mergedEdgeKeepsTheFirstSitesEvidence() {
        Dependency edge = operatedBy(DependencyGraph.union(
                List.of(site("a.example", Party.FIRST, Strength.HARD), site("b.example", Party.THIRD, Strength.HARD))));

        assertThat(edge.evidence())
                .hasValueSatisfying(e -> assertThat(e.record()).startsWith("a.example "));
    }

    @Test
    void anEdgeHardForOneSiteIsHardInTheUnion() {
        DependencyGraph soft = site("a.example", Party.THIRD, Strength.SOFT);
        DependencyGraph hard = site("b.example", Party.THIRD, Strength.HARD);
        // The same service vertex with a soft edge in one graph and a hard one in the other.
        hard.depend(new Node.Need("a.example", Service.MAIL), MX, Dependency.of(Relation.SERVED_BY, Requirement.ALL));

        DependencyGraph union = DependencyGraph.union(List.of(soft, hard));
        Dependency merged = union.graph().getEdge(new Node.Need("a.example", Service.MAIL), MX);

        assertThat(merged.strength()).isEqualTo(Strength.HARD);
        assertThat(merged.requirement()).isEqualTo(Requirement.ALL);
    }

    @Test
    void verticesWithOneIdButDifferentNamesBecomeTheFirstGraphsVertex() {
        DependencyGraph a = site("a.example", Party.THIRD, Strength.HARD);
        DependencyGraph b = site("b.example", Party.THIRD, Strength.HARD);
        Node.Address address = new Node.Address("192.0.2.1");
        a.depend(MX, address, Dependency.of(Relation.RESOLVES_TO, Requirement.ANY));
        b.depend(MX, address, Dependency.of(Relation.RESOLVES_TO, Requirement.ANY));
        Node.Network named = new Node.Network(64500, "Example Hosting");
        a.depend(address, named, Dependency.of(Relation.ROUTED_BY, Requirement.ALL));
        b.depend(address, new Node.Network(64500, "EXAMPLE-AS"), Dependency.of(Relation.ROUTED_BY, Requirement.ALL));

        DependencyGraph union = DependencyGraph.union(List.of(a, b));

        assertThat(union.graph().vertexSet())
                .filteredOn(v -> v.id().equals("network:AS64500"))
                .containsExactly(named);
        assertThat(union.graph().outgoingEdgesOf(address)).hasSize(1);
    }
}
