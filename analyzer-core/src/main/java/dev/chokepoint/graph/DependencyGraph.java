package dev.chokepoint.graph;

import dev.chokepoint.provider.Service;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgrapht.Graph;
import org.jgrapht.graph.builder.GraphTypeBuilder;

/**
 * A typed dependency graph (JGraphT) with what its vertices cannot say: the state of each host lookup and the facts of
 * each site. Insertion-ordered, so that iteration and exports are deterministic.
 */
public final class DependencyGraph {
    private final Graph<Node, Dependency> graph;
    private final Map<Node.Host, HostState> hosts = new LinkedHashMap<>();
    private final Map<Node.Site, SiteFacts> sites = new LinkedHashMap<>();

    /** Creates an empty graph. */
    public DependencyGraph() {
        this.graph = GraphTypeBuilder.<Node, Dependency>directed()
                .allowingMultipleEdges(false)
                .allowingSelfLoops(false)
                .weighted(false)
                .buildGraph();
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
        if (graph.containsEdge(from, to)) {
            return false;
        }
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
}
