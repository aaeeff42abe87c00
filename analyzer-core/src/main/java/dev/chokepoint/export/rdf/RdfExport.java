package dev.chokepoint.export.rdf;

import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.RunInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Dataset;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.riot.RDFWriter;
import org.apache.jena.riot.RIOT;
import org.apache.jena.riot.out.NodeFmtLib;
import org.apache.jena.riot.system.StreamRDF;
import org.apache.jena.riot.system.StreamRDFWriter;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sparql.util.Context;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.apache.jena.vocabulary.SchemaDO;
import org.apache.jena.vocabulary.VOID;
import org.apache.jena.vocabulary.XSD;

/**
 * Exports a batch as RDF in the Chokepoint vocabulary ({@code datasets/vocabulary/}).
 *
 * <p>{@link #dataset} builds a Jena dataset with one named graph per run (named by the run's IRI, see {@link Iris})
 * and, in the default graph, the VoID and DCAT description of that graph. {@link #write} serialises it: TriG keeps the
 * named graph; Turtle, N-Triples and JSON-LD write the union of all graphs. Output is byte-identical whenever the
 * batch is the same: N-Triples is sorted line by line; Turtle and TriG are streamed from sorted triples in Jena's
 * "blocks" style (one block per subject); JSON-LD is written here, nodes and keys sorted, with the published context
 * ({@link #context}) inline, so that reading it needs no network.
 */
public final class RdfExport {
    private static final Map<String, String> PREFIXES = prefixMap();

    private RdfExport() {}

    /** The RDF of {@code batch}: the run's named graph and its description in the default graph. */
    public static Dataset dataset(ExportBatch batch) {
        return BatchRdf.of(batch);
    }

    /**
     * Writes {@code batch} to {@code out} in {@code format}, which must be an RDF format ({@link ExportFormat#rdf()});
     * the stream is flushed, not closed.
     *
     * @throws IllegalArgumentException for a format that is not RDF
     */
    public static void write(ExportBatch batch, ExportFormat format, OutputStream out) throws IOException {
        write(dataset(batch), format, out);
    }

    /** Writes any dataset to {@code out} as {@link #write(ExportBatch, ExportFormat, OutputStream)} does. */
    public static void write(Dataset dataset, ExportFormat format, OutputStream out) throws IOException {
        switch (format) {
            case NT -> writeNTriples(union(dataset), out);
            case TTL -> writeTurtle(union(dataset), out);
            case TRIG -> writeTrig(dataset, out);
            case JSONLD -> JsonLdWriter.write(union(dataset), out);
            default -> throw new IllegalArgumentException(format + " is not an RDF format");
        }
        out.flush();
    }

    /** Recent triples of shared nodes {@link #writeInParts} remembers, so as not to write them again. */
    public static final int SHARED_WINDOW = 1_000_000;

    /** What {@link #writeInParts} wrote. */
    public record PartsWritten(long triples, boolean exact) {}

    /**
     * Writes the parts of one run, each an {@link ExportBatch} of some of its sites, one after another: the triples
     * {@link #write(ExportBatch, ExportFormat, OutputStream)} writes of the whole batch, while memory holds one part.
     * N-Triples, Turtle and TriG only (JSON-LD needs the whole graph); the stream is flushed, not closed.
     *
     * <p>A part's triples go out sorted as in a whole export; the parts follow one another in iteration order. The
     * nodes sites share (providers, their hosts and networks, the run itself) come up in many parts: their triples are
     * written once as long as they are among the last {@code window} such triples seen, which the nodes used by many
     * sites always are. When the window had to forget one, a later part may write it again (RDF readers merge
     * repeats), the count of distinct triples is no longer known, and the description in the default graph (TriG) or
     * beside the triples (Turtle, N-Triples) omits {@code void:triples}: {@link PartsWritten#exact()} says which.
     *
     * @throws IllegalArgumentException for a format that cannot be written in parts
     */
    public static PartsWritten writeInParts(
            Iterable<ExportBatch> parts, ExportFormat format, OutputStream out, int window) throws IOException {
        StreamRDF stream =
                switch (format) {
                    case NT -> StreamRDFWriter.getWriterStream(out, RDFFormat.NTRIPLES_UTF8);
                    case TTL -> StreamRDFWriter.getWriterStream(out, RDFFormat.TURTLE_BLOCKS, atDirectives());
                    case TRIG -> StreamRDFWriter.getWriterStream(out, RDFFormat.TRIG_BLOCKS, atDirectives());
                    default -> throw new IllegalArgumentException(format + " cannot be written in parts");
                };
        stream.start();
        PREFIXES.forEach(stream::prefix);
        SharedTriples shared = new SharedTriples(window);
        RunInfo run = null;
        long written = 0;
        for (ExportBatch part : parts) {
            run = part.run();
            org.apache.jena.graph.Node graphName = NodeFactory.createURI(Iris.run(run.id()));
            // Everything under a site's assessment names the site's domain, which is in one part only.
            String ownedBySite = Iris.assessment(run.id(), "");
            Graph graph = BatchRdf.of(part).asDatasetGraph().getGraph(graphName);
            for (Keyed keyed : keyed(graph)) {
                Triple triple = keyed.triple();
                boolean siteOwn = triple.getSubject().isURI()
                        && triple.getSubject().getURI().startsWith(ownedBySite);
                if (siteOwn || shared.firstTime(keyed.key())) {
                    emit(stream, format, graphName, triple);
                    written++;
                }
            }
        }
        if (run != null) {
            OptionalLong size = shared.forgotten() ? OptionalLong.empty() : OptionalLong.of(written);
            for (Triple triple : sorted(BatchRdf.description(run, size).getGraph())) {
                emit(stream, format, Quad.defaultGraphNodeGenerated, triple);
            }
        }
        stream.finish();
        out.flush();
        return new PartsWritten(written, !shared.forgotten());
    }

    private static void emit(StreamRDF stream, ExportFormat format, org.apache.jena.graph.Node graph, Triple triple) {
        if (format == ExportFormat.TRIG) {
            stream.quad(Quad.create(graph, triple));
        } else {
            stream.triple(triple);
        }
    }

    /** The keys of the shared nodes' triples written last, oldest first; remembers whether it forgot any. */
    private static final class SharedTriples {
        private final int window;
        private final LinkedHashMap<String, Boolean> recent;
        private boolean forgotten;

        SharedTriples(int window) {
            this.window = window;
            this.recent = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    boolean full = size() > SharedTriples.this.window;
                    forgotten |= full;
                    return full;
                }
            };
        }

        /** True the first time {@code key} comes up within the window; a repeat refreshes it. */
        boolean firstTime(String key) {
            return recent.put(key, Boolean.TRUE) == null;
        }

        boolean forgotten() {
            return forgotten;
        }
    }

    /** The published JSON-LD context ({@code datasets/vocabulary/context.jsonld}), as a JSON text. */
    public static String context() {
        return JsonLdWriter.contextDocument();
    }

    /** The prefixes the export declares, prefix to namespace, in a fixed order. */
    public static Map<String, String> prefixes() {
        return PREFIXES;
    }

    /** Declares the export's prefixes on {@code model}. */
    static void prefixes(Model model) {
        model.setNsPrefixes(PREFIXES);
    }

    private static Map<String, String> prefixMap() {
        Map<String, String> prefixes = new LinkedHashMap<>();
        prefixes.put("cp", CP.NS);
        prefixes.put("dcat", DCAT.NS);
        prefixes.put("dcterms", DCTerms.NS);
        prefixes.put("prov", PROV.NS);
        prefixes.put("rdf", RDF.uri);
        prefixes.put("rdfs", RDFS.uri);
        prefixes.put("schema", SchemaDO.NS);
        prefixes.put("void", VOID.NS);
        prefixes.put("xsd", XSD.NS);
        return java.util.Collections.unmodifiableMap(prefixes);
    }

    /** A copy of every triple of the dataset, default graph and named graphs together: what TTL, NT and JSON-LD write. */
    public static Graph union(Dataset dataset) {
        Graph union = GraphFactory.createDefaultGraph();
        dataset.asDatasetGraph().find().forEachRemaining(quad -> union.add(quad.asTriple()));
        return union;
    }

    /**
     * The triples sorted by subject, then predicate (rdf:type first), then object, each compared in its N-Triples
     * form. The key is built once per triple (NUL-separated: N-Triples never contains a raw NUL), not per comparison.
     */
    private static List<Triple> sorted(Graph graph) {
        return keyed(graph).stream().map(Keyed::triple).toList();
    }

    /** A triple and its sort key, which is also its identity: its nodes in N-Triples form. */
    private record Keyed(String key, Triple triple) {}

    /** The triples of {@code graph} with their keys, sorted as {@link #sorted} says. */
    private static List<Keyed> keyed(Graph graph) {
        List<Keyed> keyed = new ArrayList<>(graph.size());
        graph.find()
                .forEachRemaining(t -> keyed.add(new Keyed(
                        NodeFmtLib.strNT(t.getSubject())
                                + '\u0000'
                                + (t.getPredicate().equals(RDF.type.asNode()) ? "" : NodeFmtLib.strNT(t.getPredicate()))
                                + '\u0000'
                                + NodeFmtLib.strNT(t.getObject()),
                        t)));
        keyed.sort(Comparator.comparing(Keyed::key));
        return keyed;
    }

    private static void writeNTriples(Graph graph, OutputStream out) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        RDFWriter.source(graph).format(RDFFormat.NTRIPLES_UTF8).output(buffer);
        TreeSet<String> lines =
                new TreeSet<>(buffer.toString(StandardCharsets.UTF_8).lines().toList());
        for (String line : lines) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code @prefix} rather than SPARQL-style {@code PREFIX}: older parsers (Raptor's TriG) know only the former. */
    private static Context atDirectives() {
        Context context = new Context();
        context.set(RIOT.symTurtleDirectiveStyle, "at");
        return context;
    }

    private static void writeTurtle(Graph graph, OutputStream out) {
        StreamRDF stream = StreamRDFWriter.getWriterStream(out, RDFFormat.TURTLE_BLOCKS, atDirectives());
        stream.start();
        PREFIXES.forEach(stream::prefix);
        sorted(graph).forEach(stream::triple);
        stream.finish();
    }

    private static void writeTrig(Dataset dataset, OutputStream out) {
        StreamRDF stream = StreamRDFWriter.getWriterStream(out, RDFFormat.TRIG_BLOCKS, atDirectives());
        stream.start();
        PREFIXES.forEach(stream::prefix);
        var datasetGraph = dataset.asDatasetGraph();
        for (Triple triple : sorted(datasetGraph.getDefaultGraph())) {
            stream.quad(Quad.create(Quad.defaultGraphNodeGenerated, triple));
        }
        List<org.apache.jena.graph.Node> names = new ArrayList<>();
        for (Iterator<org.apache.jena.graph.Node> it = datasetGraph.listGraphNodes(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.sort(Comparator.comparing(NodeFmtLib::strNT));
        for (org.apache.jena.graph.Node name : names) {
            for (Triple triple : sorted(datasetGraph.getGraph(name))) {
                stream.quad(Quad.create(name, triple));
            }
        }
        stream.finish();
    }
}
