package dev.chokepoint.export;

import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.ProviderUse;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.Severity;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.Dependency.Relation;
import dev.chokepoint.graph.Dependency.Strength;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.Node;
import dev.chokepoint.graph.SiteFacts;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import dev.chokepoint.scan.AuditResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.AttributeType;
import org.jgrapht.nio.DefaultAttribute;

/**
 * The union graph of a batch with the attributes that GraphML, DOT and CSV carry, vertices sorted by id and edges by
 * their endpoints' ids, so that every format lists them in the same order and the same batch gives the same bytes.
 *
 * <p>Vertex attributes ({@link #VERTEX_KEYS}): {@code label} (for a site its Unicode name), {@code kind};
 * {@code provider}, the organisation id, on a provider vertex and on a host or address operated by exactly one
 * organisation; {@code service} on service and provider vertices; {@code severity} on a site (its worst finding, {@code none} without findings) and on a provider
 * (the worst severity of the findings, over all audited sites, whose subject is the provider, which is how the
 * single-provider and indirect-dependency findings name it; {@code none} without such findings); {@code score} on a
 * site; {@code spof} and {@code spof_sites} on a provider: whether, and for how many audited sites, the site's
 * assessment lists it as a single point of failure of a required service; {@code error} on a site whose audit failed
 * (such a site has no other vertex).
 *
 * <p>Edge attributes ({@link #EDGE_KEYS}): {@code relation}, {@code requirement} ({@code all}/{@code any}),
 * {@code strength} ({@code hard}/{@code soft}); {@code scope}: {@code direct} when some audited site reaches the
 * edge's source without crossing a {@code resolved_via} edge or entering the service vertex of a subject that is not
 * an audited site (a provider's own zone), {@code indirect} otherwise, and always for {@code resolved_via};
 * {@code party} and the attribution's {@code evidence} and {@code rule} on {@code operated_by} edges (party merged
 * across sites as {@link DependencyGraph#union} says); {@code critical}: true when, for some audited site S and some
 * provider P that the assessment of S lists as a single point of failure of a required service, the edge lies on a
 * path from S to P's vertex, in S's own graph, that starts with S's {@code needs} edge to that service (the web
 * service for CDN and hosting) and has only hard edges. Soft edges are never critical, and neither is a hard edge
 * from which no such provider can be reached.
 */
public final class ExportGraph {
    /** The vertex attributes and their types, in the order exports list them. */
    public static final Map<String, AttributeType> VERTEX_KEYS = keys(
            "label", AttributeType.STRING,
            "kind", AttributeType.STRING,
            "provider", AttributeType.STRING,
            "service", AttributeType.STRING,
            "severity", AttributeType.STRING,
            "score", AttributeType.INT,
            "spof", AttributeType.BOOLEAN,
            "spof_sites", AttributeType.INT,
            "error", AttributeType.STRING);

    /** The edge attributes and their types, in the order exports list them. */
    public static final Map<String, AttributeType> EDGE_KEYS = keys(
            "relation", AttributeType.STRING,
            "requirement", AttributeType.STRING,
            "strength", AttributeType.STRING,
            "scope", AttributeType.STRING,
            "party", AttributeType.STRING,
            "critical", AttributeType.BOOLEAN,
            "evidence", AttributeType.STRING,
            "rule", AttributeType.STRING);

    private final ExportBatch batch;
    private final Graph<Node, Dependency> graph;
    private final Map<Node, Map<String, Attribute>> vertexAttributes;
    private final Map<Dependency, Map<String, Attribute>> edgeAttributes;

    private ExportGraph(
            ExportBatch batch,
            Graph<Node, Dependency> graph,
            Map<Node, Map<String, Attribute>> vertexAttributes,
            Map<Dependency, Map<String, Attribute>> edgeAttributes) {
        this.batch = batch;
        this.graph = graph;
        this.vertexAttributes = vertexAttributes;
        this.edgeAttributes = edgeAttributes;
    }

    /** Builds the union graph of {@code batch}'s audited sites with every attribute. */
    public static ExportGraph of(ExportBatch batch) {
        List<AuditResult> audited = batch.audited().stream()
                .filter(r -> r.graph().isPresent() && r.assessment().isPresent())
                .toList();
        DependencyGraph union = DependencyGraph.union(
                audited.stream().map(r -> r.graph().orElseThrow()).toList());
        Graph<Node, Dependency> g = union.graph();
        Facts facts = new Facts(
                union,
                new HashMap<>(),
                new HashMap<>(),
                new HashMap<>(),
                new HashSet<>(),
                directRegion(union),
                new TreeMap<>(Comparator.comparing(Node::id)),
                new HashMap<>());
        for (AuditResult result : audited) {
            SiteAssessment assessment = result.assessment().orElseThrow();
            facts.assessments().putIfAbsent(assessment.domain(), assessment);
            for (Finding finding : assessment.findings()) {
                facts.findingSeverity()
                        .merge(finding.subject(), finding.severity(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            Set<String> spofs = new TreeSet<>();
            facts.criticalPairs().addAll(critical(result.graph().orElseThrow(), assessment, spofs));
            spofs.forEach(id ->
                    facts.spofSites().computeIfAbsent(id, k -> new TreeSet<>()).add(assessment.domain()));
        }
        for (AuditResult result : batch.results()) {
            Node.Site site = new Node.Site(result.domain().ascii());
            if (!result.ok() && !g.containsVertex(site)) {
                facts.failed().putIfAbsent(site, result.error().orElse(""));
                facts.unicode().putIfAbsent(site, result.domain().unicode());
            }
        }

        Graph<Node, Dependency> sorted = DependencyGraph.forBatch().graph();
        List<Node> vertices = new ArrayList<>(g.vertexSet());
        vertices.addAll(facts.failed().keySet());
        vertices.sort(Comparator.comparing(Node::id));
        Map<Node, Map<String, Attribute>> vertexAttributes = new LinkedHashMap<>();
        for (Node vertex : vertices) {
            sorted.addVertex(vertex);
            vertexAttributes.put(vertex, Collections.unmodifiableMap(vertexAttributes(vertex, facts)));
        }
        List<Dependency> edges = new ArrayList<>(g.edgeSet());
        edges.sort(Comparator.comparing((Dependency e) -> g.getEdgeSource(e).id())
                .thenComparing(e -> g.getEdgeTarget(e).id()));
        Map<Dependency, Map<String, Attribute>> edgeAttributes = new LinkedHashMap<>();
        for (Dependency edge : edges) {
            sorted.addEdge(g.getEdgeSource(edge), g.getEdgeTarget(edge), edge);
            edgeAttributes.put(edge, Collections.unmodifiableMap(edgeAttributes(g, edge, facts)));
        }
        return new ExportGraph(batch, new AsUnmodifiableGraph<>(sorted), vertexAttributes, edgeAttributes);
    }

    /**
     * What the attributes are computed from, besides the union graph's own vertices and edges.
     *
     * @param union the union graph
     * @param assessments each audited site's assessment, by domain
     * @param findingSeverity the worst severity of the findings about each subject, over all sites
     * @param spofSites for each provider id, the sites it is a single point of failure of a required service for
     * @param criticalPairs the critical edges, as {@link #pair} keys
     * @param direct the vertices an audited site reaches directly
     * @param failed the sites whose audit failed, with the reason
     * @param unicode the Unicode names of the failed sites
     */
    private record Facts(
            DependencyGraph union,
            Map<String, SiteAssessment> assessments,
            Map<String, Severity> findingSeverity,
            Map<String, Set<String>> spofSites,
            Set<String> criticalPairs,
            Set<Node> direct,
            Map<Node, String> failed,
            Map<Node, String> unicode) {}

    private static Map<String, Attribute> vertexAttributes(Node vertex, Facts facts) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        String label = vertex instanceof Node.Site site
                ? facts.union()
                        .facts(site)
                        .map(SiteFacts::unicode)
                        .orElse(facts.unicode().getOrDefault(site, site.label()))
                : vertex.label();
        a.put("label", DefaultAttribute.createAttribute(label));
        a.put("kind", DefaultAttribute.createAttribute(vertex.kind().id()));
        Graph<Node, Dependency> g = facts.union().graph();
        switch (vertex) {
            case Node.Site site -> {
                SiteAssessment assessment = facts.assessments().get(site.domain());
                if (assessment != null) {
                    String worst = assessment.worst().map(Severity::id).orElse("none");
                    a.put("severity", DefaultAttribute.createAttribute(worst));
                    a.put("score", DefaultAttribute.createAttribute(assessment.score()));
                }
            }
            case Node.Need need ->
                a.put("service", DefaultAttribute.createAttribute(need.service().id()));
            case Node.Operator operator -> {
                Provider provider = operator.provider();
                int sites =
                        facts.spofSites().getOrDefault(provider.id(), Set.of()).size();
                Severity severity = facts.findingSeverity().get(provider.displayName());
                a.put("provider", DefaultAttribute.createAttribute(provider.organisationId()));
                a.put(
                        "service",
                        DefaultAttribute.createAttribute(provider.service().id()));
                a.put("severity", DefaultAttribute.createAttribute(severity == null ? "none" : severity.id()));
                a.put("spof", DefaultAttribute.createAttribute(sites > 0));
                a.put("spof_sites", DefaultAttribute.createAttribute(sites));
            }
            case Node.Host host ->
                operatingOrganisation(g, host).ifPresent(o -> a.put("provider", DefaultAttribute.createAttribute(o)));
            case Node.Address address ->
                operatingOrganisation(g, address)
                        .ifPresent(o -> a.put("provider", DefaultAttribute.createAttribute(o)));
            case Node.Network network -> {}
        }
        String error = facts.failed().get(vertex);
        if (error != null) {
            a.put("error", DefaultAttribute.createAttribute(error));
        }
        return a;
    }

    private static Map<String, Attribute> edgeAttributes(Graph<Node, Dependency> g, Dependency edge, Facts facts) {
        Node source = g.getEdgeSource(edge);
        Node target = g.getEdgeTarget(edge);
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("relation", DefaultAttribute.createAttribute(lower(edge.relation())));
        a.put("requirement", DefaultAttribute.createAttribute(lower(edge.requirement())));
        a.put("strength", DefaultAttribute.createAttribute(lower(edge.strength())));
        boolean indirect =
                edge.relation() == Relation.RESOLVED_VIA || !facts.direct().contains(source);
        a.put("scope", DefaultAttribute.createAttribute(indirect ? "indirect" : "direct"));
        edge.party().ifPresent(p -> a.put("party", DefaultAttribute.createAttribute(p.id())));
        a.put("critical", DefaultAttribute.createAttribute(facts.criticalPairs().contains(pair(source, target))));
        edge.evidence().ifPresent(e -> {
            a.put("evidence", DefaultAttribute.createAttribute(e.record()));
            a.put("rule", DefaultAttribute.createAttribute(e.rule()));
        });
        return a;
    }

    /** The batch this graph is the union of. */
    public ExportBatch batch() {
        return batch;
    }

    /** The run the batch comes from. */
    public RunInfo run() {
        return batch.run();
    }

    /** The union graph, vertices and edges inserted in export order; read it, do not change it. */
    public Graph<Node, Dependency> graph() {
        return graph;
    }

    /** The vertices, sorted by id. */
    public List<Node> vertices() {
        return List.copyOf(vertexAttributes.keySet());
    }

    /** The edges, sorted by source id and then target id. */
    public List<Dependency> edges() {
        return List.copyOf(edgeAttributes.keySet());
    }

    /** The attributes of {@code vertex}, in {@link #VERTEX_KEYS} order; an absent key does not apply. */
    public Map<String, Attribute> attributes(Node vertex) {
        return vertexAttributes.get(vertex);
    }

    /** The attributes of {@code edge}, in {@link #EDGE_KEYS} order; an absent key does not apply. */
    public Map<String, Attribute> attributes(Dependency edge) {
        return edgeAttributes.get(edge);
    }

    /**
     * A stable id for {@code edge}: its source's id, two underscores, its target's id. Unique since a pair of vertices
     * has at most one edge, and a GraphML {@code NMTOKEN} (which {@code ->} would not be).
     */
    public String id(Dependency edge) {
        return graph.getEdgeSource(edge).id() + "__" + graph.getEdgeTarget(edge).id();
    }

    /** The attribute {@code key} of {@code vertex} as text, empty when it does not apply. */
    public String value(Node vertex, String key) {
        Attribute a = vertexAttributes.get(vertex).get(key);
        return a == null ? "" : a.getValue();
    }

    /** The attribute {@code key} of {@code edge} as text, empty when it does not apply. */
    public String value(Dependency edge, String key) {
        Attribute a = edgeAttributes.get(edge).get(key);
        return a == null ? "" : a.getValue();
    }

    /**
     * The endpoint pairs of the critical edges of one site's graph, as the class comment defines them; adds the ids
     * of the providers that are single points of failure of a required service to {@code spofs}.
     */
    private static Set<String> critical(DependencyGraph site, SiteAssessment assessment, Set<String> spofs) {
        Graph<Node, Dependency> g = site.graph();
        Node.Site vertex = new Node.Site(assessment.domain());
        Set<String> pairs = new HashSet<>();
        if (!g.containsVertex(vertex)) {
            return pairs;
        }
        for (ServiceAssessment service : assessment.services()) {
            if (!service.required()) {
                continue;
            }
            Service needed = service.service() == Service.CDN || service.service() == Service.HOSTING
                    ? Service.WEB
                    : service.service();
            Optional<Node.Need> need = site.need(vertex, needed);
            if (need.isEmpty()) {
                continue;
            }
            Dependency needs = g.getEdge(vertex, need.get());
            if (needs == null || needs.strength() != Strength.HARD) {
                continue;
            }
            for (ProviderUse use : service.providers()) {
                if (!use.singlePointOfFailure()) {
                    continue;
                }
                Node.Operator operator = new Node.Operator(use.provider());
                if (!g.containsVertex(operator)) {
                    continue;
                }
                spofs.add(use.provider().id());
                Set<Node> from = reach(g, need.get(), true);
                Set<Node> to = reach(g, operator, false);
                pairs.add(pair(vertex, need.get()));
                for (Dependency edge : g.edgeSet()) {
                    if (edge.strength() == Strength.HARD
                            && from.contains(g.getEdgeSource(edge))
                            && to.contains(g.getEdgeTarget(edge))) {
                        pairs.add(pair(g.getEdgeSource(edge), g.getEdgeTarget(edge)));
                    }
                }
            }
        }
        return pairs;
    }

    /** The vertices reachable from (or, backwards, reaching) {@code start} over hard edges, {@code start} included. */
    private static Set<Node> reach(Graph<Node, Dependency> g, Node start, boolean forward) {
        Set<Node> seen = new HashSet<>();
        Deque<Node> queue = new ArrayDeque<>();
        queue.add(start);
        seen.add(start);
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            for (Dependency edge : forward ? g.outgoingEdgesOf(node) : g.incomingEdgesOf(node)) {
                if (edge.strength() != Strength.HARD) {
                    continue;
                }
                Node next = forward ? g.getEdgeTarget(edge) : g.getEdgeSource(edge);
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    /**
     * The vertices an audited site reaches without crossing a {@code resolved_via} edge or entering the service vertex
     * of a subject that is not an audited site.
     */
    private static Set<Node> directRegion(DependencyGraph union) {
        Graph<Node, Dependency> g = union.graph();
        Set<String> sites = new HashSet<>();
        union.sites().forEach(s -> sites.add(s.domain()));
        Set<Node> seen = new HashSet<>(union.sites());
        Deque<Node> queue = new ArrayDeque<>(union.sites());
        while (!queue.isEmpty()) {
            for (Dependency edge : g.outgoingEdgesOf(queue.poll())) {
                Node next = g.getEdgeTarget(edge);
                boolean leaves = edge.relation() == Relation.RESOLVED_VIA
                        || (next instanceof Node.Need need && !sites.contains(need.subject()));
                if (!leaves && seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    /** The one organisation operating {@code node}, if exactly one does. */
    private static Optional<String> operatingOrganisation(Graph<Node, Dependency> g, Node node) {
        TreeSet<String> organisations = new TreeSet<>();
        for (Dependency edge : g.outgoingEdgesOf(node)) {
            if (edge.relation() == Relation.OPERATED_BY && g.getEdgeTarget(edge) instanceof Node.Operator operator) {
                organisations.add(operator.provider().organisationId());
            }
        }
        return organisations.size() == 1 ? Optional.of(organisations.getFirst()) : Optional.empty();
    }

    private static String pair(Node source, Node target) {
        return source.id() + " " + target.id();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, AttributeType> keys(Object... pairs) {
        Map<String, AttributeType> keys = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            keys.put((String) pairs[i], (AttributeType) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(keys);
    }
}
