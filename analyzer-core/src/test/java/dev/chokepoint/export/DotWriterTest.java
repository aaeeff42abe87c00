package dev.chokepoint.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.builder.GraphTypeBuilder;
import org.jgrapht.nio.dot.DOTImporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DotWriterTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "example.com TXT \"v=spf1 include:_spf.example\"",
                "a \\ backslash",
                "ends in a backslash \\",
                "b\u00fccher.example",
                "-> { } [ ] ; = , digraph"
            })
    void quotedTextReadsBackUnchangedAsIdAndValue(String text) {
        String dot = "digraph g {\n  " + DotWriter.quote(text) + " [label=" + DotWriter.quote(text) + "];\n}\n";
        Graph<String, DefaultEdge> graph = GraphTypeBuilder.<String, DefaultEdge>directed()
                .edgeClass(DefaultEdge.class)
                .buildGraph();
        Map<String, String> labels = new HashMap<>();
        DOTImporter<String, DefaultEdge> importer = new DOTImporter<>();
        importer.setVertexFactory(id -> id);
        importer.addVertexAttributeConsumer((p, a) -> {
            if (p.getSecond().equals("label")) {
                labels.put(p.getFirst(), a.getValue());
            }
        });

        importer.importGraph(graph, new StringReader(dot));

        assertThat(graph.vertexSet()).containsExactly(text);
        assertThat(labels).containsEntry(text, text);
    }
}
