package dev.chokepoint.export;

import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.Node;
import dev.chokepoint.scan.AuditResult;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jgrapht.nio.AttributeType;
import org.jgrapht.nio.ExportException;
import org.jgrapht.nio.graphml.GraphMLExporter;
import org.jgrapht.nio.graphml.GraphMLExporter.AttributeCategory;

/**
 * Writes the union dependency graph of a batch as GraphML, Graphviz DOT or a directory of CSV files, with the
 * attributes {@link ExportGraph} describes. The same batch always gives the same bytes.
 */
public final class GraphExport {
    /** The files of the {@link ExportFormat#CSV} directory. */
    public static final List<String> CSV_FILES = List.of("nodes.csv", "edges.csv", "findings.csv");

    private GraphExport() {}

    /**
     * Writes {@code batch} in {@code format} (GraphML, DOT or CSV) to {@code out}: a file, or for CSV a directory.
     * Readers see the whole output or none of it; a failed write leaves what was at {@code out} before.
     *
     * @throws IllegalArgumentException for a format this class does not write (the RDF ones)
     */
    public static void write(ExportBatch batch, ExportFormat format, Path out) throws IOException {
        if (!graphFormat(format)) {
            throw new IllegalArgumentException("not a graph format: " + format);
        }
        write(ExportGraph.of(batch), format, out);
    }

    /**
     * Writes {@code graph} in {@code format}, as {@link #write(ExportBatch, ExportFormat, Path)} does: build the graph
     * once with {@link ExportGraph#of} to write it in several formats.
     *
     * @throws IllegalArgumentException for a format this class does not write (the RDF ones)
     */
    public static void write(ExportGraph graph, ExportFormat format, Path out) throws IOException {
        switch (format) {
            case GRAPHML -> AtomicOutput.file(out, stream -> writeGraphMl(graph, stream));
            case DOT -> AtomicOutput.file(out, stream -> writeDot(graph, stream));
            case CSV -> AtomicOutput.directory(out, directory -> writeCsv(graph, directory));
            default -> throw new IllegalArgumentException("not a graph format: " + format);
        }
    }

    /** Whether this class writes {@code format}: GraphML, DOT and CSV. */
    public static boolean graphFormat(ExportFormat format) {
        return format == ExportFormat.GRAPHML || format == ExportFormat.DOT || format == ExportFormat.CSV;
    }

    /** Writes the GraphML form of {@code graph} to {@code out} (UTF-8); does not close {@code out}. */
    public static void writeGraphMl(ExportGraph graph, OutputStream out) throws IOException {
        GraphMLExporter<Node, Dependency> exporter = new GraphMLExporter<>(Node::id);
        exporter.setEdgeIdProvider(graph::id);
        for (Map.Entry<String, AttributeType> key : ExportGraph.VERTEX_KEYS.entrySet()) {
            exporter.registerAttribute(key.getKey(), AttributeCategory.NODE, key.getValue());
        }
        for (Map.Entry<String, AttributeType> key : ExportGraph.EDGE_KEYS.entrySet()) {
            exporter.registerAttribute(key.getKey(), AttributeCategory.EDGE, key.getValue());
        }
        exporter.setVertexAttributeProvider(graph::attributes);
        exporter.setEdgeAttributeProvider(graph::attributes);
        FailureRecordingWriter writer = new FailureRecordingWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        try {
            exporter.exportGraph(graph.graph(), writer);
            writer.flush();
        } catch (ExportException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("cannot write GraphML", e);
        }
        writer.rethrow();
    }

    /**
     * A writer that remembers the first write error: GraphMLExporter writes through an XML transformer that swallows
     * the errors of the writer it is given, which would leave a truncated file looking like a finished one.
     */
    private static final class FailureRecordingWriter extends FilterWriter {
        private IOException failure;

        FailureRecordingWriter(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            run(() -> out.write(c));
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            run(() -> out.write(buffer, offset, length));
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            run(() -> out.write(text, offset, length));
        }

        @Override
        public void flush() throws IOException {
            run(out::flush);
        }

        private void run(IoAction action) throws IOException {
            try {
                action.run();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }

        void rethrow() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** A write that may fail. */
    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Writes the DOT form of {@code graph} to {@code out} (UTF-8); does not close {@code out}. */
    public static void writeDot(ExportGraph graph, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        DotWriter.write(graph, writer);
        writer.flush();
    }

    /**
     * Writes {@code nodes.csv}, {@code edges.csv} and {@code findings.csv} (RFC 4180, UTF-8, a header row each) into
     * the existing {@code directory}.
     */
    public static void writeCsv(ExportGraph graph, Path directory) throws IOException {
        List<String> nodeHeader = new ArrayList<>(List.of("id"));
        nodeHeader.addAll(ExportGraph.VERTEX_KEYS.keySet());
        try (CSVPrinter csv = printer(directory.resolve("nodes.csv"), nodeHeader)) {
            for (Node vertex : graph.vertices()) {
                List<String> row = new ArrayList<>(List.of(vertex.id()));
                ExportGraph.VERTEX_KEYS.keySet().forEach(k -> row.add(graph.value(vertex, k)));
                csv.printRecord(row);
            }
        }
        List<String> edgeHeader = new ArrayList<>(List.of("source", "target"));
        edgeHeader.addAll(ExportGraph.EDGE_KEYS.keySet());
        try (CSVPrinter csv = printer(directory.resolve("edges.csv"), edgeHeader)) {
            for (Dependency edge : graph.edges()) {
                List<String> row = new ArrayList<>(List.of(
                        graph.graph().getEdgeSource(edge).id(),
                        graph.graph().getEdgeTarget(edge).id()));
                ExportGraph.EDGE_KEYS.keySet().forEach(k -> row.add(graph.value(edge, k)));
                csv.printRecord(row);
            }
        }
        try (CSVPrinter csv = printer(
                directory.resolve("findings.csv"),
                List.of("site", "id", "severity", "service", "subject", "message"))) {
            for (AuditResult result : graph.batch().audited()) {
                if (result.assessment().isEmpty()) {
                    continue;
                }
                SiteAssessment assessment = result.assessment().get();
                List<Finding> findings = assessment.findings().stream()
                        .sorted(Comparator.comparing(Finding::severity)
                                .reversed()
                                .thenComparing(Finding::id)
                                .thenComparing(Finding::service)
                                .thenComparing(Finding::subject)
                                .thenComparing(Finding::message))
                        .toList();
                for (Finding f : findings) {
                    csv.printRecord(
                            assessment.domain(), f.id(), f.severity().id(), f.service(), f.subject(), f.message());
                }
            }
        }
    }

    private static CSVPrinter printer(Path file, List<String> header) throws IOException {
        return new CSVPrinter(
                Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                CSVFormat.RFC4180
                        .builder()
                        .setHeader(header.toArray(String[]::new))
                        .get());
    }
}
