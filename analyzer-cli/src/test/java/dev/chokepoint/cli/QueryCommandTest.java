package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.rdf.RdfExport;
import dev.chokepoint.export.rdf.RdfStore;
import dev.chokepoint.export.rdf.WorldBatch;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.testdns.World;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query command over an export and a store of real audits of the test world, and its answers to bad input. */
class QueryCommandTest {
    private static final String SITES = "PREFIX cp: <https://w3id.org/chokepoint/vocab#>"
            + " SELECT ?domain WHERE { ?s a cp:Site ; cp:domain ?domain } ORDER BY ?domain";

    @TempDir
    static Path dir;

    private static Path export;
    private static Path store;

    @BeforeAll
    static void exportAndStore() throws Exception {
        List<AuditResult> results = WorldBatch.audit();
        export = dir.resolve("world.ttl");
        try (OutputStream out = Files.newOutputStream(export)) {
            RdfExport.write(WorldBatch.batch("world-1", results), ExportFormat.TTL, out);
        }
        store = dir.resolve("store");
        try (RdfStore rdf = RdfStore.open(store)) {
            rdf.add(WorldBatch.batch("run-1", results));
            rdf.add(WorldBatch.batch("run-2", results.subList(0, 1)));
        }
    }

    private static String example(String name) {
        return World.root().resolve("datasets/queries").resolve(name).toString();
    }

    private static void assertUsageError(Cli.Run run, String... parts) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).startsWith("chokepoint: ").contains(parts);
    }

    @Test
    void exampleQueryFromAFilePrintsAnAlignedTable() {
        Cli.Run run = Cli.run("query", export.toString(), "--file", example("spof-providers.rq"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("\"cloudflare:dns\"").contains("\"Cloudflare DNS\"");
        List<String> table = run.out().lines().toList();
        assertThat(table).hasSize(9).allSatisfy(line -> assertThat(line).hasSameSizeAs(table.getFirst()));
    }

    @Test
    void queryTextAsTheLastArgumentAndCsv() {
        Cli.Run run = Cli.run("query", export.toString(), SITES, "--format", "csv");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines())
                .containsExactly(
                        "domain", "absent.test", "indirect.test", "indirectsoft.test", "multi.test", "single.test");
    }

    @Test
    void storeDirectoryAnswersAcrossItsRuns() {
        Cli.Run run = Cli.run("query", store.toString(), "--file", example("scores-by-run.rq"), "--format", "tsv");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("\"single.test\"")))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("run/run-1"))
                .anySatisfy(l -> assertThat(l).contains("run/run-2"));
        assertThat(run.out().lines().filter(l -> l.startsWith("\"multi.test\"")))
                .hasSize(1);
    }

    @Test
    void constructPrintsTurtleByDefault() {
        Cli.Run run = Cli.run(
                "query",
                export.toString(),
                "PREFIX cp: <https://w3id.org/chokepoint/vocab#>"
                        + " CONSTRUCT { ?s cp:domain ?d } WHERE { ?s a cp:Site ; cp:domain ?d }");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(RDFParser.fromString(run.out(), Lang.TURTLE).toGraph().size())
                .isEqualTo(5);
    }

    @Test
    void askAsJson() {
        Cli.Run run = Cli.run(
                "query",
                export.toString(),
                "ASK { ?s <https://w3id.org/chokepoint/vocab#domain> \"single.test\" }",
                "--format",
                "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"boolean\"").contains("true");
    }

    @Test
    void missingFileIsAUsageError() {
        assertUsageError(Cli.run("query", dir.resolve("absent.ttl").toString(), SITES), "absent.ttl: no such file");
    }

    @Test
    void unparsableFileIsNamedWithTheParsersLine() throws Exception {
        Path bad =
                Files.writeString(dir.resolve("bad.ttl"), "@prefix ex: <http://example.org/> .\n\nex:a ex:b @@@ .\n");

        assertUsageError(Cli.run("query", export.toString(), bad.toString(), SITES), "bad.ttl: ", "line: 3");
    }

    @Test
    void malformedQueryIsAUsageError() {
        assertUsageError(
                Cli.run("query", export.toString(), "SELECT ?x WHERE { ?x ?y }"), "malformed query: ", "line 1");
    }

    @Test
    void directoryThatIsNotAStoreIsAUsageError() throws Exception {
        Path notes = Files.createDirectories(dir.resolve("notes"));

        assertUsageError(Cli.run("query", notes.toString(), SITES), "not a TDB2 store");
    }

    @Test
    void formatThatDoesNotFitTheQueryIsAUsageError() {
        assertUsageError(Cli.run("query", export.toString(), SITES, "--format", "ttl"), "does not fit a SELECT query");
        assertUsageError(Cli.run("query", export.toString(), SITES, "--format", "xml"), "unknown --format 'xml'");
    }

    @Test
    void forgottenQueryIsAUsageError() {
        assertUsageError(Cli.run("query", export.toString()), "--file");
        assertUsageError(Cli.run("query", export.toString(), export.toString()), "is a file, not a query");
        assertUsageError(
                Cli.run(
                        "query",
                        export.toString(),
                        "--file",
                        dir.resolve("none.rq").toString()),
                "none.rq: no such query file");
        assertUsageError(
                Cli.run("query", export.toString(), SITES, "--file", example("spof-providers.rq")), "not both");
    }

    @Test
    void helpListsTheExitCodes() {
        Cli.Run run = Cli.run("query", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Exit codes:")
                .contains("malformed query")
                .contains("--format");
    }
}
