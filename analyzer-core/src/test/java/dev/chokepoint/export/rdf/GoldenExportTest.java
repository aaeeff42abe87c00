package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.testdns.World;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Turtle export of two sites of the test world against a reviewed golden file, compared as graphs (isomorphism),
 * so that any change to what the export says shows up in review. After an intended change, regenerate it with
 * {@code -Dchokepoint.regenerateGolden=true} and read the diff.
 */
class GoldenExportTest {
    private static final Path GOLDEN = World.root().resolve("analyzer-core/src/test/resources/rdf/golden.ttl");

    private static byte[] export() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdfExport.write(
                WorldBatch.batch("golden", WorldBatch.audit(List.of("single.test", "absent.test"))),
                ExportFormat.TTL,
                out);
        return out.toByteArray();
    }

    @Test
    void exportIsTheGoldenGraph() throws Exception {
        Graph expected = RDFParser.source(GOLDEN).lang(Lang.TURTLE).toGraph();
        Graph actual = RDFParser.source(new java.io.ByteArrayInputStream(export()))
                .lang(Lang.TURTLE)
                .toGraph();

        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.isIsomorphicWith(expected)).isTrue();
    }

    @Test
    @EnabledIfSystemProperty(named = "chokepoint.regenerateGolden", matches = "true")
    void regenerateGolden() throws Exception {
        Files.write(GOLDEN, export());
        assertThat(GOLDEN).isNotEmptyFile();
    }
}
