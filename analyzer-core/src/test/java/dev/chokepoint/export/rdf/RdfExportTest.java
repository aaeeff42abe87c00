package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.testdns.World;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Dataset;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.lib.ShLib;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.VOID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The RDF export of real audits of the test world. */
class RdfExportTest {
    private static final String RUN = "https://w3id.org/chokepoint/id/run/world-1";

    private static List<AuditResult> results;
    private static ExportBatch batch;
    private static Dataset dataset;
    private static Graph union;

    @BeforeAll
    static void audit() throws Exception {
        results = WorldBatch.audit();
        batch = WorldBatch.batch("world-1", results);
        dataset = RdfExport.dataset(batch);
        union = RdfExport.union(dataset);
    }

    static byte[] export(ExportBatch batch, ExportFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdfExport.write(batch, format, out);
        return out.toByteArray();
    }

    private static Lang lang(ExportFormat format) {
        return switch (format) {
            case TTL -> Lang.TURTLE;
            case NT -> Lang.NTRIPLES;
            case JSONLD -> Lang.JSONLD;
            case TRIG -> Lang.TRIG;
            default -> throw new IllegalArgumentException(format.id());
        };
    }

    private static boolean has(String subject, String predicate, Node object) {
        return union.contains(NodeFactory.createURI(subject), NodeFactory.createURI(predicate), object);
    }

    private static Node uri(String iri) {
        return NodeFactory.createURI(iri);
    }

    /** The batch's sites in parts of one, two and the rest, as a scan streamed to a file comes. */
    private static List<ExportBatch> parts() {
        return List.of(
                WorldBatch.batch("world-1", results.subList(0, 1)),
                WorldBatch.batch("world-1", results.subList(1, 3)),
                WorldBatch.batch("world-1", results.subList(3, results.size())));
    }

    /** Reads an export back: a union format's triples land in the default graph, TriG's run graph keeps its name. */
    private static DatasetGraph parse(byte[] bytes, ExportFormat format) {
        DatasetGraph read = DatasetGraphFactory.create();
        RDFParser.source(new java.io.ByteArrayInputStream(bytes))
                .lang(lang(format))
                .parse(read);
        return read;
    }

    @ParameterizedTest
    @EnumSource(
            value = ExportFormat.class,
            names = {"TTL", "NT", "TRIG"})
    void partsWrittenOneAfterAnotherReadBackAsTheWholeBatch(ExportFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdfExport.PartsWritten written = RdfExport.writeInParts(parts(), format, out, RdfExport.SHARED_WINDOW);

        DatasetGraph streamed = parse(out.toByteArray(), format);
        DatasetGraph whole = parse(export(batch, format), format);
        assertThat(written.exact()).isTrue();
        assertThat(written.triples()).isEqualTo(dataset.getNamedModel(RUN).size());
        if (format == ExportFormat.NT) {
            // Each triple once: the providers and hosts every part has are not written again.
            assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines())
                    .hasSize(streamed.getDefaultGraph().size());
        }
        assertThat(streamed.getDefaultGraph().isIsomorphicWith(whole.getDefaultGraph()))
                .isTrue();
        whole.listGraphNodes()
                .forEachRemaining(name -> assertThat(streamed.getGraph(name).isIsomorphicWith(whole.getGraph(name)))
                        .as(name.getURI())
                        .isTrue());
    }

    @Test
    void partsThatOverflowTheWindowRepeatSharedTriplesAndLeaveTheCountOut() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdfExport.PartsWritten written = RdfExport.writeInParts(parts(), ExportFormat.TRIG, out, 1);

        DatasetGraph streamed = parse(out.toByteArray(), ExportFormat.TRIG);
        Graph run = streamed.getGraph(uri(RUN));
        assertThat(written.exact()).isFalse();
        assertThat(written.triples()).isGreaterThan(run.size());
        assertThat(run.isIsomorphicWith(dataset.getNamedModel(RUN).getGraph())).isTrue();
        assertThat(streamed.getDefaultGraph().contains(Node.ANY, VOID.triples.asNode(), Node.ANY))
                .isFalse();
        assertThat(dataset.getDefaultModel().getGraph().contains(Node.ANY, VOID.triples.asNode(), Node.ANY))
                .isTrue();
        // The shapes allow a description without the count.
        assertThat(RdfShapes.load(World.root().resolve("datasets"))
                        .validate(org.apache.jena.query.DatasetFactory.wrap(streamed))
                        .conforms())
                .isTrue();
    }

    @Test
    void jsonLdCannotBeWrittenInParts() {
        assertThatThrownBy(() -> RdfExport.writeInParts(
                        parts(), ExportFormat.JSONLD, new ByteArrayOutputStream(), RdfExport.SHARED_WINDOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exportConformsToTheShapes() {
        ValidationReport report =
                RdfShapes.load(World.root().resolve("datasets")).validate(dataset);

        assertThat(report.conforms())
                .as(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ShLib.printReport(out, report);
                    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
                })
                .isTrue();
    }

    @Test
    void shapesRejectAnAssessmentWithNeitherScoreNorError() {
        Graph broken = GraphFactory.createDefaultGraph();
        union.find().forEachRemaining(broken::add);
        Node assessment = uri(RUN + "/site/single.test");
        broken.remove(assessment, uri(CP.score.getURI()), Node.ANY);

        ValidationReport report =
                RdfShapes.load(World.root().resolve("datasets")).validate(broken);

        assertThat(report.conforms()).isFalse();
        assertThat(report.getEntries())
                .anySatisfy(e -> assertThat(e.focusNode()).isEqualTo(assessment));
    }

    @ParameterizedTest
    @EnumSource(
            value = ExportFormat.class,
            names = {"TTL", "NT", "JSONLD"})
    void unionFormatsReadBackIsomorphicToWhatWasWritten(ExportFormat format) throws Exception {
        byte[] bytes = export(batch, format);

        Graph read = parse(bytes, format).getDefaultGraph();

        assertThat(read.size()).isEqualTo(union.size()).isGreaterThan(1000);
        assertThat(read.isIsomorphicWith(union)).isTrue();
    }

    @Test
    void trigKeepsTheRunGraphAndItsDescription() throws Exception {
        DatasetGraph read = parse(export(batch, ExportFormat.TRIG), ExportFormat.TRIG);

        List<Node> names = new ArrayList<>();
        read.listGraphNodes().forEachRemaining(names::add);
        assertThat(names).containsExactly(uri(RUN));
        assertThat(read.getGraph(uri(RUN))
                        .isIsomorphicWith(dataset.asDatasetGraph().getGraph(uri(RUN))))
                .isTrue();
        assertThat(read.getDefaultGraph()
                        .isIsomorphicWith(dataset.asDatasetGraph().getDefaultGraph()))
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = ExportFormat.class,
            names = {"TTL", "NT", "JSONLD", "TRIG"})
    void exportingTheSameInputTwiceGivesTheSameBytes(ExportFormat format) throws Exception {
        List<AuditResult> again = new ArrayList<>(WorldBatch.audit());
        Collections.reverse(again);
        ExportBatch rebuilt = WorldBatch.batch("world-1", again);

        byte[] first = export(batch, format);
        byte[] second = export(rebuilt, format);

        assertThat(first).isNotEmpty();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void irisAreMintedFromTheInputAndNothingIsABlankNode() {
        String id = Iris.BASE;
        assertThat(has(id + "site/single.test", RDF.type.getURI(), CP.Site.asNode()))
                .isTrue();
        assertThat(has(
                        id + "provider/cloudflare/dns",
                        CP.providerId.getURI(),
                        NodeFactory.createLiteralString("cloudflare:dns")))
                .isTrue();
        assertThat(has(id + "host/ada.ns.cloudflare.com", RDF.type.getURI(), CP.Host.asNode()))
                .isTrue();
        assertThat(has(id + "network/AS13335", RDF.type.getURI(), CP.Network.asNode()))
                .isTrue();
        assertThat(has(RUN + "/site/single.test", CP.site.getURI(), uri(id + "site/single.test")))
                .isTrue();
        List<Triple> blank = union.find()
                .filterKeep(t -> t.getSubject().isBlank() || t.getObject().isBlank())
                .toList();
        assertThat(blank).isEmpty();
    }

    @Test
    void siteThatCouldNotBeAuditedIsExportedWithItsError() {
        Node assessment = uri(RUN + "/site/absent.test");

        assertThat(union.find(assessment, CP.auditError.asNode(), Node.ANY).toList())
                .singleElement()
                .satisfies(
                        t -> assertThat(t.getObject().getLiteralLexicalForm()).isNotBlank());
        assertThat(union.contains(assessment, CP.score.asNode(), Node.ANY)).isFalse();
    }

    @Test
    void indirectSinglePointOfFailureIsMarkedOnTheUseAndTheEdges() {
        Node use = uri(RUN + "/site/indirect.test/service/dns/provider/cloudflare%3Adns");
        Node yes = NodeFactory.createLiteralByValue(true);

        assertThat(union.contains(use, CP.indirect.asNode(), yes)).isTrue();
        assertThat(union.contains(use, CP.singlePointOfFailure.asNode(), yes)).isTrue();
        List<Node> resolvedVia = union.find(Node.ANY, CP.relation.asNode(), CP.ResolvedVia.asNode())
                .mapWith(Triple::getSubject)
                .toList();
        assertThat(resolvedVia).isNotEmpty().allSatisfy(edge -> assertThat(
                        union.contains(edge, CP.indirect.asNode(), yes))
                .isTrue());
        List<Node> needs = union.find(Node.ANY, CP.relation.asNode(), CP.Needs.asNode())
                .mapWith(Triple::getSubject)
                .filterKeep(edge -> union.contains(edge, CP.dependant.asNode(), uri(Iris.site("single.test"))))
                .toList();
        assertThat(needs).isNotEmpty().allSatisfy(edge -> assertThat(
                        union.contains(edge, CP.indirect.asNode(), NodeFactory.createLiteralByValue(false)))
                .isTrue());
    }

    @Test
    void descriptionCountsTheTriplesOfTheRunGraph() {
        Graph description = dataset.asDatasetGraph().getDefaultGraph();
        Node triples = description
                .find(uri(Iris.runDataset("world-1")), VOID.triples.asNode(), Node.ANY)
                .next()
                .getObject();

        assertThat(Long.parseLong(triples.getLiteralLexicalForm()))
                .isEqualTo(dataset.asDatasetGraph().getGraph(uri(RUN)).size());
    }

    @Test
    void twoTargetsOfOneDomainAreOneSite() {
        List<AuditResult> twice = new ArrayList<>(results);
        AuditResult single = results.getFirst();
        twice.add(AuditResult.failed("single.test/", single.domain(), "a second target of the same site"));

        Graph graph = RdfExport.union(RdfExport.dataset(WorldBatch.batch("world-1", twice)));

        assertThat(graph.isIsomorphicWith(union)).isTrue();
    }

    @Test
    void assessmentWithoutItsGraphIsExportedWithoutDependencies() {
        List<AuditResult> withoutGraphs = results.stream()
                .map(r ->
                        new AuditResult(r.target(), r.domain(), r.error(), r.assessment(), java.util.Optional.empty()))
                .toList();

        Dataset exported = RdfExport.dataset(WorldBatch.batch("world-1", withoutGraphs));
        Graph graph = RdfExport.union(exported);

        assertThat(RdfShapes.load(World.root().resolve("datasets"))
                        .validate(exported)
                        .conforms())
                .isTrue();
        assertThat(graph.contains(Node.ANY, RDF.type.asNode(), CP.Dependency.asNode()))
                .isFalse();
        assertThat(graph.contains(Node.ANY, CP.providerUse.asNode(), Node.ANY)).isTrue();
    }

    @Test
    void formatThatIsNotRdfIsRefused() {
        assertThatThrownBy(() -> export(batch, ExportFormat.GRAPHML))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graphml");
    }
}
