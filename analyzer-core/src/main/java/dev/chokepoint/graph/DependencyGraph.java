package dev.chokepoint.graph;

import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Service;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgrapht.Graph;
import org.jgrapht.graph.AbstractBaseGraph;
import org.jgrapht.graph.DefaultGraphSpecificsStrategy;
import org.jgrapht.graph.DefaultGraphType;
import org.jgrapht.graph.FastLookupGraphSpecificsStrategy;
import org.jgrapht.graph.GraphSpecificsStrategy;

/**
 * A typed dependency graph (JGraphT) with what its vertices cannot say: the state of each host lookup and the facts of
 * each site. Insertion-ordered, so that iteration and exports are deterministic.
 */
public final class DependencyGraph {
    private final Graph<Node, Dependency> graph;
    private final Map<Node.Host, HostState> hosts = new LinkedHashMap<>();
    private final Map<Node.Site, SiteFacts> sites = new LinkedHashMap<>();

    /** Creates an empty graph for one site (see {@link #forBatch()} for a whole batch's). */
    public DependencyGraph() {
        this(new Simple(new DefaultGraphSpecificsStrategy<>()));
    }

    private DependencyGraph(Graph<Node, Dependency> graph) {
        this.graph = graph;
    }

    /**
     * Creates an empty graph for the union of many sites: one that finds the edge between two vertices through an
     * index of all edges by their ends. A site's own graph does without it (see {@link Simple}); in a union, a
     * provider's nameserver has an edge to every site that runs it as its own, thousands in a large batch, and
     * walking those for each edge added would take time quadratic in the batch.
     */
    public static DependencyGraph forBatch() {
        return new DependencyGraph(new Simple(new FastLookupGraphSpecificsStrategy<>()));
    }

    /**
     * A directed graph without multiple edges or self loops. On JGraphT's lean storage each vertex lists its edges,
     * and finding the edge between two vertices walks the first one's outgoing list; the default also indexes every
     * edge by its pair of ends, a hash map entry and a set per edge, which was half the time a batch scan spent
     * building sites' graphs. A site's graph is small and its vertices have few outgoing edges each.
     */
    private static final class Simple extends AbstractBaseGraph<Node, Dependency> {
        private static final long serialVersionUID = 1L;

        Simple(GraphSpecificsStrategy<Node, Dependency> storage) {
            super(null, null, DefaultGraphType.directedSimple(), storage);
        }
    }

    /** The JGraphT graph: read it, and change it only through this class. */
    public Graph<Node, Dependency> graph() {
        return graph;
    }

    /** Adds {@code node} if absent and returns it. */
    public <N extends Node> N add(N node) {
        graph.addVertex(node);
        return node;
    }

    /**
     * Adds the edge {@code from -> to} unless the pair is already joined or would be a self loop; returns whether an
     * edge was added.
     */
    public boolean depend(Node from, Node to, Dependency dependency) {
        if (from.equals(to)) {
            return false;
        }
        add(from);
        add(to);
        // A graph without multiple edges refuses a second edge between the same pair itself: asking first walked the
        // source's edges twice.
        return graph.addEdge(from, to, dependency);
    }

    /** Records how the lookup of {@code host} ended. */
    public void state(Node.Host host, HostState state) {
        hosts.put(host, state);
    }

    /** How the lookup of {@code host} ended; {@link HostState.Reachability#NOT_LOOKED_UP} when unknown. */
    public HostState state(Node.Host host) {
        return hosts.getOrDefault(host, new HostState(HostState.Reachability.NOT_LOOKED_UP, "", 0));
    }

    /** Records the facts of a site. */
    public void facts(Node.Site site, SiteFacts facts) {
        sites.put(site, facts);
    }

    /** The facts of {@code site}. */
    public Optional<SiteFacts> facts(Node.Site site) {
        return Optional.ofNullable(sites.get(site));
    }

    /** The sites in the graph, in insertion order. */
    public List<Node.Site> sites() {
        return List.copyOf(sites.keySet());
    }

    /** The service vertex of {@code site} for {@code service}, if the site needs it. */
    public Optional<Node.Need> need(Node.Site site, Service service) {
        Node.Need need = new Node.Need(site.domain(), service);
        return graph.containsVertex(need) ? Optional.of(need) : Optional.empty();
    }

    /** The targets of the edges leaving {@code node}, in insertion order. */
    public List<Node> dependencies(Node node) {
        return graph.outgoingEdgesOf(node).stream().map(graph::getEdgeTarget).toList();
    }

    /** The host states recorded so far, unmodifiable. */
    public Map<Node.Host, HostState> hostStates() {
        return Collections.unmodifiableMap(hosts);
    }

    /**
     * The union of {@code graphs}, one per audited site, as DESIGN.md's "one union graph per batch".
     *
     * <p>Vertices are values, so the union holds each vertex once. An edge {@code source -> target} appears once, with
     * what the sites that have it agree on, merged so that nothing looks safer than it is for some site:
     *
     * <ul>
     *   <li>requirement {@link Dependency.Requirement#ALL} when any graph says so, else {@code ANY};
     *   <li>strength {@link Dependency.Strength#HARD} when any graph says so, else {@code SOFT};
     *   <li>party, which is relative to a site: {@link Party#FIRST} only when every graph with the edge says first,
     *       {@link Party#THIRD} when any says third, otherwise {@link Party#UNKNOWN};
     *   <li>relation and evidence from the first graph that has the edge.
     * </ul>
     *
     * Vertices with the same {@link Node#id()} but different values (a network or provider named differently by
     * different datasets) become the first graph's vertex, so ids stay unique. Site facts are kept per site (the first graph's when two graphs hold the same site); a host's lookup state is the
     * first recorded one that looked the host up. The result depends only on the order of {@code graphs}: callers pass
     * them sorted by site (as {@code ExportBatch} does) for a deterministic union.
     */
    public static DependencyGraph union(List<DependencyGraph> graphs) {
        DependencyGraph union = forBatch();
        // Keyed by the endpoints' ids: one edge per pair, in the order the pairs were first seen.
        Map<String, Joined> joined = new LinkedHashMap<>();
        // Ids stay unique in the union: graphs built with different datasets may name one network or provider
        // differently (its organisation), and the first graph's vertex stands for all.
        Map<String, Node> byId = new HashMap<>();
        for (DependencyGraph g : graphs) {
            for (Node vertex : g.graph.vertexSet()) {
                if (byId.putIfAbsent(vertex.id(), vertex) == null) {
                    union.add(vertex);
                }
            }
            for (Dependency edge : g.graph.edgeSet()) {
                Node source = byId.get(g.graph.getEdgeSource(edge).id());
                Node target = byId.get(g.graph.getEdgeTarget(edge).id());
                joined.computeIfAbsent(
                                source.id() + " " + target.id(), k -> new Joined(source, target, new ArrayList<>()))
                        .edges()
                        .add(edge);
            }
            g.sites.forEach(union.sites::putIfAbsent);
            g.hosts.forEach((host, state) -> {
                HostState known = union.hosts.get(host);
                if (known == null || known.reachability() == HostState.Reachability.NOT_LOOKED_UP) {
                    union.hosts.put(host, state);
                }
            });
        }
        for (Joined j : joined.values()) {
            union.depend(j.source(), j.target(), merge(j.edges()));
        }
        return union;
    }

    /** The edges of several graphs that join the same two vertices. */
    private record Joined(Node source, Node target, List<Dependency> edges) {}

    private static Dependency merge(List<Dependency> edges) {
        Dependency first = edges.getFirst();
        if (edges.size() == 1) {
            return first;
        }
        if (first.relation() == Dependency.Relation.OPERATED_BY) {
            boolean allFirst = edges.stream().allMatch(e -> e.party().orElse(Party.UNKNOWN) == Party.FIRST);
            boolean anyThird = edges.stream().anyMatch(e -> e.party().orElse(Party.UNKNOWN) == Party.THIRD);
            Party party = allFirst ? Party.FIRST : anyThird ? Party.THIRD : Party.UNKNOWN;
            return Dependency.operatedBy(party, first.evidence().orElse(null));
        }
        boolean all = edges.stream().anyMatch(e -> e.requirement() == Dependency.Requirement.ALL);
        boolean hard = edges.stream().anyMatch(e -> e.strength() == Dependency.Strength.HARD);
        return Dependency.of(
                first.relation(),
                all ? Dependency.Requirement.ALL : Dependency.Requirement.ANY,
                hard ? Dependency.Strength.HARD : Dependency.Strength.SOFT);
    }
}
