package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.scan.AuditResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.sparql.core.DatasetGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TDB2 store: runs side by side, each in its own graph, surviving a reopen. */
class RdfStoreTest {
    private static List<AuditResult> results;

    @TempDir
    Path dir;

    @BeforeAll
    static void audit() throws Exception {
        results = WorldBatch.audit();
    }

    @Test
    void twoRunsSitSideBySideAndSurviveAReopen() throws Exception {
        ExportBatch first = WorldBatch.batch("run-1", results);
        ExportBatch second = new ExportBatch(
                new dev.chokepoint.export.RunInfo(
                        "run-2",
                        java.time.Instant.parse("2026-11-24T01:00:00Z"),
                        java.time.Instant.parse("2026-11-24T01:00:09Z"),
                        "0.1.0-test",
                        "2.3.2026061719",
                        List.of("127.0.0.1:53"),
                        "live"),
                results.subList(0, 2));
        Path store = dir.resolve("store");
        try (RdfStore rdf = RdfStore.open(store)) {
            rdf.add(first);
            rdf.add(second);
        }

        try (RdfStore rdf = RdfStore.openExisting(store)) {
            assertThat(rdf.runs()).containsExactly(Iris.run("run-1"), Iris.run("run-2"));
            for (ExportBatch batch : List.of(first, second)) {
                DatasetGraph expected = RdfExport.dataset(batch).asDatasetGraph();
                var name = NodeFactory.createURI(Iris.run(batch.run().id()));
                boolean same =
                        rdf.read(ds -> ds.asDatasetGraph().getGraph(name).isIsomorphicWith(expected.getGraph(name)));
                assertThat(same).as(batch.run().id()).isTrue();
            }
            List<List<String>> scores = Queries.rows(Queries.example("scores-by-run.rq"), rdf.dataset());
            assertThat(scores)
                    .filteredOn(r -> r.get(0).equals("absent.test"))
                    .extracting(r -> r.get(1))
                    .containsExactly(Iris.run("run-1"));
            assertThat(scores)
                    .filteredOn(r -> r.get(0).equals("single.test"))
                    .extracting(r -> r.get(1) + " " + r.get(3))
                    .containsExactly(Iris.run("run-1") + " 35", Iris.run("run-2") + " 35");
            String datasets = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://rdfs.org/ns/void#Dataset> }";
            assertThat(Queries.rows(datasets, rdf.dataset())).containsExactly(List.of("2"));
        }
    }

    @Test
    void addingARunAgainReplacesItsGraphAndDescription() throws Exception {
        ExportBatch batch = WorldBatch.batch("run-1", results);
        try (RdfStore rdf = RdfStore.open(dir.resolve("store"))) {
            rdf.add(batch);
            long graph = rdf.size(Iris.run("run-1"));
            long description = rdf.size(null);

            rdf.add(WorldBatch.batch("run-1", results.subList(0, 1)));

            assertThat(rdf.runs()).containsExactly(Iris.run("run-1"));
            assertThat(rdf.size(Iris.run("run-1"))).isGreaterThan(0).isLessThan(graph);
            assertThat(rdf.size(null)).isEqualTo(description);
        }
    }

    @Test
    void storeThatAnotherProcessHoldsIsRefusedWithAClearMessage() throws Exception {
        Path store = dir.resolve("held");
        try (RdfStore rdf = RdfStore.open(store)) {
            rdf.add(WorldBatch.batch("run-1", results.subList(0, 1)));
        }
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(
                        javaCommand,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StoreHolder.class.getName(),
                        store.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            var reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(holder.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(reader.readLine()).isEqualTo("open 1");

            assertThatThrownBy(() -> RdfStore.open(store))
                    .isInstanceOf(RdfInputException.class)
                    .hasMessageStartingWith(store + ": in use by another process");
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
        }
        try (RdfStore rdf = RdfStore.openExisting(store)) {
            assertThat(rdf.runs()).containsExactly(Iris.run("run-1"));
        }
    }

    @Test
    void directoryThatIsNotAStoreIsRefused() throws Exception {
        Path notes = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notes.resolve("a.txt"), "x");

        assertThatThrownBy(() -> RdfStore.open(notes))
                .isInstanceOf(RdfInputException.class)
                .hasMessageContaining("not a TDB2 store");
        assertThatThrownBy(() -> RdfStore.openExisting(dir.resolve("empty")))
                .isInstanceOf(RdfInputException.class)
                .hasMessageContaining("not a TDB2 store");
        assertThat(RdfStore.isStore(notes)).isFalse();
    }

    private static org.apache.jena.rdf.model.Model copy(RdfStore store, String graph) {
        return store.read(d -> org.apache.jena.rdf.model.ModelFactory.createDefaultModel()
                .add(graph == null ? d.getDefaultModel() : d.getNamedModel(graph)));
    }

    @Test
    void runAddedInPartsIsTheRunAddedWhole() throws Exception {
        String graph = Iris.run("parts");
        try (RdfStore whole = RdfStore.open(dir.resolve("whole"));
                RdfStore parts = RdfStore.open(dir.resolve("parts"))) {
            whole.add(WorldBatch.batch("parts", results));
            long triples = parts.addInParts(List.of(
                    WorldBatch.batch("parts", results.subList(0, 2)),
                    WorldBatch.batch("parts", results.subList(2, results.size()))));

            assertThat(triples).isEqualTo(whole.size(graph)).isGreaterThan(100);
            assertThat(copy(parts, graph).isIsomorphicWith(copy(whole, graph))).isTrue();
            assertThat(copy(parts, null).isIsomorphicWith(copy(whole, null))).isTrue();
        }
    }
}
