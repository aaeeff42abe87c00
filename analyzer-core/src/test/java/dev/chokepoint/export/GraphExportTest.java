package dev.chokepoint.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.Node;
import dev.chokepoint.scan.AuditResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.dot.DOTImporter;
import org.jgrapht.nio.graphml.GraphMLImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GraphML, DOT and CSV exports of real DNS audits of the loopback test world, read back and compared as values. */
class GraphExportTest {
    private static List<AuditResult> results;
    private static ExportBatch batch;
    private static ExportGraph graph;
    private static ExportBatch sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void audit() throws Exception {
        results = ExportFixture.audit(ExportFixture.SITES);
        batch = ExportFixture.batch(results);
        graph = ExportGraph.of(batch);
        sample = new ExportBatch(ExportFixture.run(), ExportFixture.replaySample());
    }

    /** The loopback world's DNS audits, and the bundled sample replayed with its web side. */
    static Stream<Arguments> batches() {
        return Stream.of(Arguments.of("world", batch), Arguments.of("sample", sample));
    }

    /** What the export model says: element id -> attribute -> value. */
    private static Map<String, Map<String, String>> expectedVertices() {
        return expectedVertices(graph);
    }

    private static Map<String, Map<String, String>> expectedVertices(ExportGraph graph) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Node v : graph.vertices()) {
            Map<String, String> a = new TreeMap<>();
            graph.attributes(v).forEach((k, value) -> a.put(k, value.getValue()));
            out.put(v.id(), a);
        }
        return out;
    }

    private static Map<String, Map<String, String>> expectedEdges() {
        return expectedEdges(graph);
    }

    private static Map<String, Map<String, String>> expectedEdges(ExportGraph graph) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Dependency e : graph.edges()) {
            Map<String, String> a = new TreeMap<>();
            graph.attributes(e).forEach((k, value) -> a.put(k, value.getValue()));
            out.put(
                    graph.graph().getEdgeSource(e).id() + " "
                            + graph.graph().getEdgeTarget(e).id(),
                    a);
        }
        return out;
    }

    /** A graph read back: vertices and edges (as "source target") with their attributes, limited to the model's keys. */
    private record ReadBack(
            Map<String, Map<String, String>> vertices,
            Map<String, Map<String, String>> edges,
            Map<String, String> vertexTypes,
            Map<String, String> edgeTypes) {
        static ReadBack of(
                Graph<String, DefaultEdge> g,
                Map<String, Map<String, Attribute>> vertexAttributes,
                Map<DefaultEdge, Map<String, Attribute>> edgeAttributes) {
            Map<String, Map<String, String>> vertices = new TreeMap<>();
            Map<String, String> vertexTypes = new TreeMap<>();
            for (String v : g.vertexSet()) {
                Map<String, String> a = new TreeMap<>();
                vertexAttributes.getOrDefault(v, Map.of()).forEach((k, value) -> {
                    if (ExportGraph.VERTEX_KEYS.containsKey(k)) {
                        a.put(k, value.getValue());
                        vertexTypes.put(k, value.getType().toString());
                    }
                });
                vertices.put(v, a);
            }
            Map<String, Map<String, String>> edges = new TreeMap<>();
            Map<String, String> edgeTypes = new TreeMap<>();
            for (DefaultEdge e : g.edgeSet()) {
                Map<String, String> a = new TreeMap<>();
                edgeAttributes.getOrDefault(e, Map.of()).forEach((k, value) -> {
                    if (ExportGraph.EDGE_KEYS.containsKey(k)) {
                        a.put(k, value.getValue());
                        edgeTypes.put(k, value.getType().toString());
                    }
                });
                String key = g.getEdgeSource(e) + " " + g.getEdgeTarget(e);
                assertThat(edges.put(key, a)).as("edge %s read twice", key).isNull();
            }
            return new ReadBack(vertices, edges, vertexTypes, edgeTypes);
        }
    }

    private static Graph<String, DefaultEdge> emptyGraph() {
        return GraphTypeBuilder.<String, DefaultEdge>directed()
                .allowingMultipleEdges(true)
                .allowingSelfLoops(true)
                .edgeClass(DefaultEdge.class)
                .buildGraph();
    }

    private static ReadBack readGraphMl(String text) {
        Graph<String, DefaultEdge> g = emptyGraph();
        Map<String, Map<String, Attribute>> vertexAttributes = new HashMap<>();
        Map<DefaultEdge, Map<String, Attribute>> edgeAttributes = new HashMap<>();
        GraphMLImporter<String, DefaultEdge> importer = new GraphMLImporter<>();
        importer.setSchemaValidation(true);
        importer.setVertexFactory(id -> id);
        importer.addVertexAttributeConsumer((p, a) -> vertexAttributes
                .computeIfAbsent(p.getFirst(), k -> new HashMap<>())
                .put(p.getSecond(), a));
        importer.addEdgeAttributeConsumer((p, a) -> edgeAttributes
                .computeIfAbsent(p.getFirst(), k -> new HashMap<>())
                .put(p.getSecond(), a));
        importer.importGraph(g, new StringReader(text));
        return ReadBack.of(g, vertexAttributes, edgeAttributes);
    }

    private static ReadBack readDot(String text) {
        Graph<String, DefaultEdge> g = emptyGraph();
        Map<String, Map<String, Attribute>> vertexAttributes = new HashMap<>();
        Map<DefaultEdge, Map<String, Attribute>> edgeAttributes = new HashMap<>();
        DOTImporter<String, DefaultEdge> importer = new DOTImporter<>();
        importer.setVertexFactory(id -> id);
        importer.addVertexAttributeConsumer((p, a) -> vertexAttributes
                .computeIfAbsent(p.getFirst(), k -> new HashMap<>())
                .put(p.getSecond(), a));
        importer.addEdgeAttributeConsumer((p, a) -> edgeAttributes
                .computeIfAbsent(p.getFirst(), k -> new HashMap<>())
                .put(p.getSecond(), a));
        importer.importGraph(g, new StringReader(text));
        return ReadBack.of(g, vertexAttributes, edgeAttributes);
    }

    private static String graphMl(ExportBatch b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GraphExport.writeGraphMl(ExportGraph.of(b), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String dot(ExportBatch b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GraphExport.writeDot(ExportGraph.of(b), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, String> edge(String source, String target) {
        return expectedEdges().get(source + " " + target);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void graphMlReadsBackWithTheSameVerticesEdgesAttributesAndTypes(String name, ExportBatch b) throws Exception {
        ExportGraph expected = ExportGraph.of(b);
        ReadBack back = readGraphMl(graphMl(b));

        assertThat(back.vertices()).isEqualTo(expectedVertices(expected));
        assertThat(back.edges()).isEqualTo(expectedEdges(expected));
        // Every attribute that occurs reads back with the type its key declares.
        Map<String, String> types = new TreeMap<>();
        expected.vertices().forEach(v -> expected.attributes(v)
                .keySet()
                .forEach(k -> types.put(k, ExportGraph.VERTEX_KEYS.get(k).toString())));
        assertThat(back.vertexTypes()).isEqualTo(types).containsEntry("score", "int");
        Map<String, String> edgeTypes = new TreeMap<>();
        expected.edges().forEach(e -> expected.attributes(e)
                .keySet()
                .forEach(k -> edgeTypes.put(k, ExportGraph.EDGE_KEYS.get(k).toString())));
        assertThat(back.edgeTypes()).isEqualTo(edgeTypes).containsEntry("critical", "boolean");
    }

    @Test
    void graphMlDeclaresTypedKeysAndStableEdgeIds() throws Exception {
        String text = graphMl(batch);

        assertThat(text)
                .contains("attr.name=\"score\" attr.type=\"int\"")
                .contains("attr.name=\"critical\" attr.type=\"boolean\"")
                .contains("<node id=\"provider:cloudflare:dns\">")
                .contains("<edge id=\"service:single.test:dns__host:ada.ns.cloudflare.com\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void dotReadsBackWithTheSameVerticesEdgesAndAttributes(String name, ExportBatch b) throws Exception {
        ExportGraph expected = ExportGraph.of(b);
        ReadBack back = readDot(dot(b));

        assertThat(back.vertices()).isEqualTo(expectedVertices(expected));
        assertThat(back.edges()).isEqualTo(expectedEdges(expected));
    }

    @Test
    void dotGroupsAnOrganisationsProvidersAndHostsInOneCluster() throws Exception {
        String text = dot(batch);
        int start = text.indexOf("subgraph \"cluster_cloudflare\" {");
        String cluster = text.substring(start, text.indexOf("\n  }\n", start));

        assertThat(start).isPositive();
        assertThat(cluster)
                .contains("\"provider:cloudflare:dns\" [")
                .contains("\"provider:cloudflare:cdn\" [")
                .contains("\"host:ada.ns.cloudflare.com\" [")
                .doesNotContain("\"provider:ns1:dns\"")
                .doesNotContain("->");
        assertThat(text).startsWith("digraph \"test-run-1\" {").contains("rankdir=\"LR\"");
    }

    @Test
    void dotStylesCriticalSoftAndAlternativeEdgesApart() throws Exception {
        String text = dot(batch);

        assertThat(line(text, "\"service:single.test:dns\" -> \"host:ada.ns.cloudflare.com\""))
                .contains("color=\"#cb181d\"", "style=\"bold\"", "arrowhead=\"odot\"");
        assertThat(line(text, "\"site:single.test\" -> \"service:single.test:sending\""))
                .contains("style=\"dashed\"", "arrowhead=\"normal\"")
                .doesNotContain("#cb181d");
        assertThat(line(text, "\"service:multi.test:dns\" -> \"host:ada.ns.cloudflare.com\""))
                .contains("arrowhead=\"odot\"")
                .doesNotContain("#cb181d", "bold");
    }

    private static String line(String text, String start) {
        return text.lines()
                .filter(l -> l.trim().startsWith(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line " + start));
    }

    @Test
    void theSameSitesAuditedAgainExportToTheSameBytes() throws Exception {
        List<AuditResult> again = new ArrayList<>(ExportFixture.audit(ExportFixture.SITES));
        java.util.Collections.reverse(again);
        ExportBatch other = ExportFixture.batch(again);
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Files.createDirectories(first);
        Files.createDirectories(second);
        for (ExportFormat format : List.of(ExportFormat.GRAPHML, ExportFormat.DOT, ExportFormat.CSV)) {
            GraphExport.write(batch, format, first.resolve("out." + format.id()));
            GraphExport.write(other, format, second.resolve("out." + format.id()));
        }

        assertThat(files(first)).isNotEmpty().isEqualTo(files(second));
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<Map<String, String>> csv(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(reader)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                rows.add(new LinkedHashMap<>(record.toMap()));
            }
            return rows;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void csvReadsBackWithTheSameRowsInOrder(String name, ExportBatch batch) throws Exception {
        ExportGraph graph = ExportGraph.of(batch);
        Path out = dir.resolve("csv");
        GraphExport.write(batch, ExportFormat.CSV, out);

        List<Map<String, String>> nodes = new ArrayList<>();
        for (Node v : graph.vertices()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("id", v.id());
            ExportGraph.VERTEX_KEYS.keySet().forEach(k -> row.put(k, graph.value(v, k)));
            nodes.add(row);
        }
        List<Map<String, String>> edges = new ArrayList<>();
        for (Dependency e : graph.edges()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("source", graph.graph().getEdgeSource(e).id());
            row.put("target", graph.graph().getEdgeTarget(e).id());
            ExportGraph.EDGE_KEYS.keySet().forEach(k -> row.put(k, graph.value(e, k)));
            edges.add(row);
        }
        List<Map<String, String>> findings = new ArrayList<>();
        for (AuditResult result : batch.audited()) {
            SiteAssessment a = result.assessment().orElseThrow();
            a.findings()
                    .forEach(f -> findings.add(Map.of(
                            "site", a.domain(),
                            "id", f.id(),
                            "severity", f.severity().id(),
                            "service", f.service(),
                            "subject", f.subject(),
                            "message", f.message())));
        }

        try (Stream<Path> list = Files.list(out)) {
            assertThat(list.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(GraphExport.CSV_FILES);
        }
        assertThat(csv(out.resolve("nodes.csv"))).isEqualTo(nodes);
        assertThat(csv(out.resolve("edges.csv"))).isEqualTo(edges);
        assertThat(csv(out.resolve("findings.csv"))).containsExactlyInAnyOrderElementsOf(findings);
        assertThat(csv(out.resolve("findings.csv")))
                .extracting(r -> r.get("site"))
                .isSorted()
                .isNotEmpty();
        assertThat(nodes).extracting(r -> r.get("id")).isSorted();
        assertThat(Files.readString(out.resolve("edges.csv"), StandardCharsets.UTF_8))
                .startsWith("source,target,relation,requirement,strength,scope,party,critical,evidence,rule\r\n");
    }

    @Test
    void sharedProviderVerticesAppearOnceWithTheirUnionOfEdges() {
        Map<String, Integer> ids = new HashMap<>();
        graph.vertices().forEach(v -> ids.merge(v.id(), 1, Integer::sum));
        AuditResult single = site("single.test");
        AuditResult multi = site("multi.test");
        Graph<Node, Dependency> a = single.graph().orElseThrow().graph();
        Graph<Node, Dependency> b = multi.graph().orElseThrow().graph();
        Node cloudflare = a.vertexSet().stream()
                .filter(v -> v.id().equals("provider:cloudflare:dns"))
                .findFirst()
                .orElseThrow();

        assertThat(b.containsVertex(cloudflare))
                .as("both sites use Cloudflare DNS")
                .isTrue();
        assertThat(ids).containsEntry("provider:cloudflare:dns", 1).containsEntry("host:ada.ns.cloudflare.com", 1);
        assertThat(ids.values()).containsOnly(1);
        assertThat(graph.graph().incomingEdgesOf(cloudflare))
                .extracting(e -> graph.graph().getEdgeSource(e).id())
                .contains("host:ada.ns.cloudflare.com", "host:bob.ns.cloudflare.com", "host:kim.ns.cloudflare.com");
        assertThat(graph.vertices()).containsAll(a.vertexSet()).containsAll(b.vertexSet());
    }

    private static AuditResult site(String domain) {
        return results.stream()
                .filter(r -> r.domain().ascii().equals(domain))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void criticalMarksHardPathsToASitesSinglePointsOfFailureOnly() {
        assertThat(edge("service:single.test:dns", "host:ada.ns.cloudflare.com"))
                .containsEntry("critical", "true");
        assertThat(edge("host:ada.ns.cloudflare.com", "provider:cloudflare:dns"))
                .containsEntry("critical", "true");
        // multi.test has a second DNS provider, and its other edges to Cloudflare are shared with single.test.
        assertThat(edge("service:multi.test:dns", "host:ada.ns.cloudflare.com")).containsEntry("critical", "false");
        assertThat(edge("site:multi.test", "service:multi.test:dns")).containsEntry("critical", "false");
        assertThat(edge("host:dns1.p01.nsone.net", "provider:ns1:dns")).containsEntry("critical", "false");
        // Soft: mail sending degrades, it does not take the site down.
        assertThat(edge("site:single.test", "service:single.test:sending")).containsEntry("critical", "false");
        // Indirect: indirect.test's DNS host resolves through Cloudflare.
        assertThat(edge("service:hoster.test:dns", "host:kim.ns.cloudflare.com"))
                .containsEntry("critical", "true");
    }

    @Test
    void scopeIsIndirectUnderAProvidersZoneAndOnResolvedVia() {
        assertThat(edge("host:ns1.hoster.test", "service:hoster.test:dns"))
                .containsEntry("relation", "resolved_via")
                .containsEntry("scope", "indirect");
        assertThat(edge("service:hoster.test:dns", "host:kim.ns.cloudflare.com"))
                .containsEntry("scope", "indirect");
        assertThat(edge("host:kim.ns.cloudflare.com", "provider:cloudflare:dns"))
                .containsEntry("scope", "indirect");
        assertThat(edge("service:indirect.test:dns", "host:ns1.hoster.test")).containsEntry("scope", "direct");
        assertThat(edge("host:ada.ns.cloudflare.com", "provider:cloudflare:dns"))
                .containsEntry("scope", "direct");
    }

    @Test
    void verticesCarryKindProviderSeverityScoreAndSpof() {
        Map<String, Map<String, String>> v = expectedVertices();
        SiteAssessment single = site("single.test").assessment().orElseThrow();

        assertThat(v.get("site:single.test"))
                .containsEntry("kind", "site")
                .containsEntry("severity", "high")
                .containsEntry("score", String.valueOf(single.score()));
        assertThat(v.get("provider:cloudflare:dns"))
                .containsEntry("kind", "provider")
                .containsEntry("provider", "cloudflare")
                .containsEntry("service", "dns")
                .containsEntry("spof", "true")
                .containsEntry("spof_sites", "2")
                .containsEntry("severity", "high");
        assertThat(v.get("provider:ns1:dns")).containsEntry("spof", "false").containsEntry("spof_sites", "0");
        assertThat(v.get("host:ada.ns.cloudflare.com")).containsEntry("provider", "cloudflare");
        assertThat(v.get("service:single.test:dns"))
                .containsEntry("service", "dns")
                .doesNotContainKey("provider");
        assertThat(v.get("site:broken.test"))
                .containsEntry("error", "no resolver answered: timeout")
                .doesNotContainKey("score");
        assertThat(edge("host:backup-mx.multi.test", "provider:multi.test:mail"))
                .containsEntry("party", "first");
    }

    @Test
    void aFailedWriteLeavesWhatWasThereAndNoTemporaryFile() throws Exception {
        Path occupied = dir.resolve("graph.graphml");
        Files.createDirectories(occupied.resolve("inside"));

        assertThatThrownBy(() -> GraphExport.write(batch, ExportFormat.GRAPHML, occupied))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> GraphExport.write(batch, ExportFormat.DOT, occupied))
                .isInstanceOf(IOException.class);
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "keep");
        assertThatThrownBy(() -> GraphExport.write(batch, ExportFormat.CSV, notADirectory.resolve("csv")))
                .isInstanceOf(IOException.class);

        try (Stream<Path> paths = Files.walk(dir)) {
            assertThat(paths.map(p -> dir.relativize(p).toString()))
                    .containsExactlyInAnyOrder("", "graph.graphml", "graph.graphml/inside", "file");
        }
        assertThat(Files.readString(notADirectory)).isEqualTo("keep");
    }

    @Test
    void aStreamThatFailsMidwayFailsTheExport() {
        OutputStream failing = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 100) {
                    throw new IOException("disk full");
                }
            }
        };

        assertThatThrownBy(() -> GraphExport.writeGraphMl(graph, failing)).hasMessageContaining("disk full");
        assertThatThrownBy(() -> GraphExport.writeDot(graph, failing)).hasMessageContaining("disk full");
    }

    @Test
    void rdfFormatsAreNotGraphFormats() {
        assertThatThrownBy(() -> GraphExport.write(batch, ExportFormat.TTL, dir.resolve("x.ttl")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("x.ttl")).doesNotExist();
    }

    @Test
    void anIdnSiteIsLabelledWithItsUnicodeNameInEveryFormat() throws Exception {
        String id = "site:xn--bcher-kva.example";
        Path csv = dir.resolve("csv");
        GraphExport.write(sample, ExportFormat.CSV, csv);

        assertThat(readGraphMl(graphMl(sample)).vertices().get(id)).containsEntry("label", "b\u00fccher.example");
        assertThat(readDot(dot(sample)).vertices().get(id)).containsEntry("label", "b\u00fccher.example");
        assertThat(csv(csv.resolve("nodes.csv")))
                .filteredOn(r -> r.get("id").equals(id))
                .extracting(r -> r.get("label"))
                .containsExactly("b\u00fccher.example");
    }
}
