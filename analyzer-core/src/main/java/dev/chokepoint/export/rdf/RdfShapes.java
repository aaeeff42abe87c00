package dev.chokepoint.export.rdf;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jena.graph.Graph;
import org.apache.jena.query.Dataset;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;

/** The SHACL shapes of the export ({@code datasets/vocabulary/shapes.ttl}), and validation against them. */
public final class RdfShapes {
    /** Where the shapes live under the datasets root. */
    public static final String FILE = "vocabulary/shapes.ttl";

    private final Shapes shapes;

    private RdfShapes(Shapes shapes) {
        this.shapes = shapes;
    }

    /**
     * Loads the shapes from the datasets directory {@code datasets}.
     *
     * @throws RdfInputException when the file is missing or does not parse
     */
    public static RdfShapes load(Path datasets) {
        Path file = datasets.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new RdfInputException(file + ": no such file");
        }
        try {
            Graph graph = RDFParser.source(file).toGraph();
            return new RdfShapes(Shapes.parse(graph));
        } catch (RiotException e) {
            throw new RdfInputException(file + ": " + e.getMessage(), e);
        }
    }

    /** Validates {@code graph}: the union of an export's graphs. */
    public ValidationReport validate(Graph graph) {
        return ShaclValidator.get().validate(shapes, graph);
    }

    /** Validates the union of every graph of {@code dataset}. */
    public ValidationReport validate(Dataset dataset) {
        return validate(RdfExport.union(dataset));
    }
}
