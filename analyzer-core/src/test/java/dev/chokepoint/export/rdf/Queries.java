package dev.chokepoint.export.rdf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.testdns.World;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.jena.query.Dataset;

/** Runs SPARQL through {@link SparqlQuery} and reads its JSON results back as rows of plain values. */
final class Queries {
    private Queries() {}

    /** The text of an example query in {@code datasets/queries/}. */
    static String example(String name) throws IOException {
        return Files.readString(World.root().resolve("datasets/queries").resolve(name));
    }

    /** Each row as its variables' values (IRIs and lexical forms), in the query's variable order; "" when unbound. */
    static List<List<String>> rows(String query, Dataset dataset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SparqlQuery.parse(query).run(dataset, SparqlQuery.Output.JSON, out);
        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        List<String> vars = new ArrayList<>();
        json.get("head").get("vars").forEach(v -> vars.add(v.asText()));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode binding : json.get("results").get("bindings")) {
            List<String> row = new ArrayList<>();
            for (String var : vars) {
                row.add(binding.has(var) ? binding.get(var).get("value").asText() : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Loads files as the query command does. */
    static Dataset load(Path... files) {
        return SparqlQuery.load(List.of(files));
    }
}
