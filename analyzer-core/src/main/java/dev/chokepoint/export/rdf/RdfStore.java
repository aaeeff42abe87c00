package dev.chokepoint.export.rdf;

import dev.chokepoint.export.ExportBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.jena.dboe.DBOpEnvException;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.query.Dataset;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.TDB2Factory;
import org.apache.jena.tdb2.sys.TDBInternal;

/**
 * A TDB2 triple store of exported runs, one named graph per run (named by the run's IRI) beside each other, with the
 * runs' VoID and DCAT descriptions in the default graph. Every write is one transaction; reads run in read
 * transactions. Close it to release the directory.
 */
public final class RdfStore implements AutoCloseable {
    private final Path directory;
    private final Dataset dataset;

    private RdfStore(Path directory, Dataset dataset) {
        this.directory = directory;
        this.dataset = dataset;
    }

    /**
     * Opens the store in {@code directory}, creating an empty one when the directory is missing or empty.
     *
     * @throws RdfInputException when the directory holds something else, or another process has the store open
     */
    public static RdfStore open(Path directory) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new RdfInputException(directory + ": not a directory");
        }
        if (Files.isDirectory(directory) && !isEmpty(directory) && !isStore(directory)) {
            throw new RdfInputException(directory + ": not a TDB2 store (and not empty)");
        }
        Files.createDirectories(directory);
        try {
            return new RdfStore(directory, TDB2Factory.connectDataset(directory.toString()));
        } catch (DBOpEnvException e) {
            // TDB2's lock file: another process (a scan writing to the store, say) has it open.
            throw new RdfInputException(directory + ": in use by another process (" + e.getMessage() + ")", e);
        }
    }

    /** Opens an existing store, refusing a directory that does not hold one. */
    public static RdfStore openExisting(Path directory) throws IOException {
        if (!isStore(directory)) {
            throw new RdfInputException(directory + ": not a TDB2 store");
        }
        return open(directory);
    }

    /** Whether {@code directory} holds a TDB2 store (its {@code Data-NNNN} folder). */
    public static boolean isStore(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.anyMatch(
                    p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("Data-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Adds the run of {@code batch}; a run already in the store is replaced, graph and description. */
    public void add(ExportBatch batch) {
        add(RdfExport.dataset(batch));
    }

    /**
     * Adds every named graph of {@code export} (replacing a graph of the same name) and its default graph (replacing
     * what the store said about the same subjects) in one write transaction.
     */
    public void add(Dataset export) {
        DatasetGraph incoming = export.asDatasetGraph();
        Txn.executeWrite(dataset, () -> {
            DatasetGraph store = dataset.asDatasetGraph();
            for (Iterator<Node> names = incoming.listGraphNodes(); names.hasNext(); ) {
                Node name = names.next();
                store.removeGraph(name);
                Graph target = store.getGraph(name);
                incoming.getGraph(name).find().forEachRemaining(target::add);
            }
            Graph description = store.getDefaultGraph();
            List<Node> subjects = new ArrayList<>();
            incoming.getDefaultGraph().find().forEachRemaining(t -> subjects.add(t.getSubject()));
            for (Node subject : subjects) {
                description.remove(subject, Node.ANY, Node.ANY);
            }
            incoming.getDefaultGraph().find().forEachRemaining(description::add);
            store.prefixes().putAll(incoming.prefixes());
        });
    }

    /**
     * Adds a run whose sites come in parts, each an {@link ExportBatch} of the same run, for batches too large to
     * hold at once: the first part replaces any earlier version of the run, each part is added in its own write
     * transaction (so only one part is in memory), and the run's description then counts the whole graph.
     *
     * @return the number of triples in the run's graph
     */
    public long addInParts(Iterable<ExportBatch> parts) {
        String graphName = null;
        String description = null;
        for (ExportBatch part : parts) {
            Dataset export = RdfExport.dataset(part);
            if (graphName == null) {
                add(export);
                graphName = Iris.run(part.run().id());
                description = Iris.runDataset(part.run().id());
                continue;
            }
            DatasetGraph incoming = export.asDatasetGraph();
            Txn.executeWrite(dataset, () -> {
                DatasetGraph store = dataset.asDatasetGraph();
                for (Iterator<Node> names = incoming.listGraphNodes(); names.hasNext(); ) {
                    Node name = names.next();
                    Graph target = store.getGraph(name);
                    incoming.getGraph(name).find().forEachRemaining(target::add);
                }
            });
        }
        if (graphName == null) {
            return 0;
        }
        long triples = size(graphName);
        Node subject = org.apache.jena.graph.NodeFactory.createURI(description);
        Node count = org.apache.jena.vocabulary.VOID.triples.asNode();
        Txn.executeWrite(dataset, () -> {
            Graph graph = dataset.asDatasetGraph().getDefaultGraph();
            graph.remove(subject, count, Node.ANY);
            graph.add(Triple.create(
                    subject,
                    count,
                    org.apache.jena.graph.NodeFactory.createLiteralDT(
                            Long.toString(triples), org.apache.jena.datatypes.xsd.XSDDatatype.XSDinteger)));
        });
        return triples;
    }

    /** The names of the runs' graphs, sorted. */
    public List<String> runs() {
        return Txn.calculateRead(dataset, () -> {
            List<String> names = new ArrayList<>();
            dataset.asDatasetGraph().listGraphNodes().forEachRemaining(n -> names.add(n.getURI()));
            names.sort(null);
            return names;
        });
    }

    /** The number of triples in the graph named {@code graphName}, or in the default graph when it is null. */
    public long size(String graphName) {
        return Txn.calculateRead(dataset, () -> {
            DatasetGraph store = dataset.asDatasetGraph();
            Graph graph = graphName == null
                    ? store.getDefaultGraph()
                    : store.getGraph(org.apache.jena.graph.NodeFactory.createURI(graphName));
            long n = 0;
            for (Iterator<Triple> it = graph.find(); it.hasNext(); it.next()) {
                n++;
            }
            return n;
        });
    }

    /** Runs {@code action} on the store's dataset in a read transaction. */
    public <T> T read(Function<Dataset, T> action) {
        return Txn.calculateRead(dataset, () -> action.apply(dataset));
    }

    /** The directory of the store. */
    public Path directory() {
        return directory;
    }

    /** The store's dataset; use it only inside {@link #read} or a transaction of your own. */
    public Dataset dataset() {
        return dataset;
    }

    /** Releases the store, so that another process (or this one) can open the directory again. */
    @Override
    public void close() {
        TDBInternal.expel(dataset.asDatasetGraph());
    }
}
