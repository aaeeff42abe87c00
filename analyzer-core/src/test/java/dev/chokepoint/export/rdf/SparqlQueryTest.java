package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.export.ExportFormat;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.jena.graph.Graph;
import org.apache.jena.query.Dataset;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The example queries and the query runner, over exports of real audits of the test world. */
class SparqlQueryTest {
    private static final String CP_NS = CP.NS;

    @TempDir
    static Path dir;

    private static Path turtle;
    private static Path trig;
    private static Dataset world;

    @BeforeAll
    static void export() throws Exception {
        var batch = WorldBatch.batch("world-1", WorldBatch.audit());
        turtle = dir.resolve("world.ttl");
        trig = dir.resolve("world.trig");
        try (OutputStream out = Files.newOutputStream(turtle)) {
            RdfExport.write(batch, ExportFormat.TTL, out);
        }
        try (OutputStream out = Files.newOutputStream(trig)) {
            RdfExport.write(batch, ExportFormat.TRIG, out);
        }
        world = Queries.load(turtle);
    }

    private static String run(String query, SparqlQuery.Output output) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SparqlQuery.parse(query).run(world, output, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void spofProvidersRanksCloudflareDnsWithOneSiteOnlyIndirect() throws Exception {
        assertThat(Queries.rows(Queries.example("spof-providers.rq"), world))
                .containsExactly(
                        List.of("as64500:hosting", "AS64500 Example Hosting hosting", "3", "0"),
                        List.of("cloudflare:dns", "Cloudflare DNS", "2", "1"),
                        List.of("cloudflare:cdn", "Cloudflare CDN", "1", "0"),
                        List.of("google:mail", "Google mail", "1", "0"),
                        List.of("hoster.test:dns", "hoster.test DNS", "1", "0"));
    }

    @Test
    void indirectDependentsOfCloudflareDnsAreTheSitesOnHosterTest() throws Exception {
        assertThat(Queries.rows(Queries.example("indirect-dependents.rq"), world))
                .containsExactly(
                        List.of("indirect.test", CP_NS + "DNS", "true"),
                        List.of("indirectsoft.test", CP_NS + "DNS", "false"));
    }

    @Test
    void indirectDependentsFollowTheEditedValuesLine() throws Exception {
        String query = Queries.example("indirect-dependents.rq").replace("\"cloudflare:dns\"", "\"google:mail\"");

        assertThat(Queries.rows(query, world)).isEmpty();
    }

    @Test
    void dnsAndCdnOnOneOrganisationIsSingleTestOnCloudflare() throws Exception {
        assertThat(Queries.rows(Queries.example("dns-cdn-same-organisation.rq"), world))
                .containsExactly(List.of("single.test", "Cloudflare", "false"));
    }

    @Test
    void severeFindingsListHighAndCriticalPerSite() throws Exception {
        List<List<String>> rows = Queries.rows(Queries.example("severe-findings.rq"), world);

        assertThat(rows)
                .extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2))
                .containsExactly(
                        "indirect.test high dns-indirect-dependency",
                        "indirect.test high dns-single-provider",
                        "single.test high cdn-single-provider",
                        "single.test high dns-single-provider");
    }

    @Test
    void scoresByRunGiveEachSitesScoreOrError() throws Exception {
        List<List<String>> rows = Queries.rows(Queries.example("scores-by-run.rq"), world);

        assertThat(rows)
                .extracting(r -> r.get(0) + " " + r.get(3))
                .containsExactly(
                        "absent.test ", "indirect.test 55", "indirectsoft.test 90", "multi.test 95", "single.test 35");
        assertThat(rows.getFirst().get(4)).isNotBlank();
    }

    @Test
    void defaultGraphIsTheUnionOfTheRunGraphAndItsDescription() throws Exception {
        Dataset quads = Queries.load(trig);
        String query = "PREFIX cp: <" + CP_NS + "> PREFIX void: <http://rdfs.org/ns/void#>"
                + " SELECT ?n ?g WHERE { ?d a void:Dataset ; void:triples ?n ; cp:graph ?g ."
                + " GRAPH ?g { ?a a cp:SiteAssessment } } LIMIT 1";
        String count = "PREFIX cp: <" + CP_NS + "> SELECT (COUNT(*) AS ?n) WHERE { ?s a cp:SiteAssessment }";

        assertThat(Queries.rows(query, quads)).singleElement().satisfies(row -> assertThat(row.get(1))
                .isEqualTo(Iris.run("world-1")));
        assertThat(Queries.rows(count, quads)).containsExactly(List.of("5"));
    }

    @Test
    void tableAlignsColumnsAndCsvTsvJsonAreTheStandardFormats() {
        String query = "PREFIX cp: <" + CP_NS + "> SELECT ?d WHERE { ?s cp:domain ?d } ORDER BY ?d LIMIT 2";

        assertThat(run(query, SparqlQuery.Output.TABLE))
                .contains("| d ")
                .contains("| \"absent.test\"")
                .contains("=====");
        assertThat(run(query, SparqlQuery.Output.CSV).lines()).containsExactly("d", "absent.test", "indirect.test");
        assertThat(run(query, SparqlQuery.Output.TSV).lines())
                .containsExactly("?d", "\"absent.test\"", "\"indirect.test\"");
        assertThat(run(query, SparqlQuery.Output.JSON)).contains("\"bindings\"").contains("\"absent.test\"");
    }

    @Test
    void askAnswersInEveryResultsFormat() {
        String ask = "PREFIX cp: <" + CP_NS + "> ASK { ?s cp:domain \"single.test\" }";

        assertThat(run(ask, SparqlQuery.Output.TABLE)).isEqualTo("yes\n");
        assertThat(run(ask, SparqlQuery.Output.JSON)).contains("\"boolean\"").contains("true");
        assertThat(run(ask.replace("single.test", "nowhere.test"), SparqlQuery.Output.CSV))
                .contains("false");
    }

    @Test
    void constructAndDescribeWriteTurtle() {
        String construct =
                "PREFIX cp: <" + CP_NS + "> CONSTRUCT { ?s cp:domain ?d } WHERE { ?s a cp:Site ; cp:domain ?d }";
        SparqlQuery parsed = SparqlQuery.parse(construct);

        assertThat(parsed.defaultOutput()).isEqualTo(SparqlQuery.Output.TTL);
        Graph graph = RDFParser.fromString(run(construct, SparqlQuery.Output.TTL), Lang.TURTLE)
                .toGraph();
        assertThat(graph.size()).isEqualTo(5);
        String describe = "DESCRIBE <" + Iris.site("single.test") + ">";
        assertThat(run(describe, SparqlQuery.Output.NT)).contains("\"single.test\"");
    }

    @Test
    void outputThatDoesNotFitTheFormIsRefused() {
        assertThatThrownBy(() -> run("CONSTRUCT WHERE { ?s ?p ?o }", SparqlQuery.Output.CSV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> run("SELECT * WHERE { ?s ?p ?o }", SparqlQuery.Output.TTL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table");
    }

    @Test
    void malformedQueryIsAnInputErrorWithTheParsersPosition() {
        assertThatThrownBy(() -> SparqlQuery.parse("SELECT * WHERE { ?s ?p }"))
                .isInstanceOf(RdfInputException.class)
                .hasMessageStartingWith("malformed query: ")
                .hasMessageContaining("line 1")
                .hasMessageNotContaining("expecting");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            SELECT * WHERE { ?s ?p }                   | unexpected "}" at line 1, column 24
            SELECT ?s WHERE { ?s ?p ?o .               | the query ends too early (line 1, column 28)
            SELEC ?s WHERE { ?s ?p ?o }                | unexpected space after "SELEC" at line 1, column 6
            SELECT ?s WHERE { ?s ?p ?o FILTER(?o = "x) | cannot read "\\"x)" at the end of the query (line 1, column 43)
            SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 x     | cannot read the end of the query (line 1, column 39)
            SELECT ?s WHERE { ?s ?p ?o\\t }            | unexpected "\\t" at line 1, column 27
            """)
    void malformedQueryIsDescribedInWordsWithItsPosition(String query, String described) {
        assertThatThrownBy(() -> SparqlQuery.parse(query))
                .isInstanceOf(RdfInputException.class)
                .hasMessage("malformed query: " + described);
    }

    @Test
    void characterAQueryCannotHoldIsNamedNotNumbered() {
        assertThatThrownBy(() -> SparqlQuery.parse("SELECT ?s WHERE { ?s ?p \"a\nb\" }"))
                .hasMessage("malformed query: unexpected line break after \"\\\"a\" at line 1, column 27");
    }

    @Test
    void unparsableFileIsNamedWithTheParsersLine() throws Exception {
        Path bad = Files.writeString(
                dir.resolve("bad.ttl"), "@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n ex:d @@@ .\n");

        assertThatThrownBy(() -> Queries.load(turtle, bad))
                .isInstanceOf(RdfInputException.class)
                .hasMessageStartingWith(bad.toString() + ": ")
                .hasMessageContaining("line: 4");
    }

    @Test
    void missingFileAndUnknownExtensionAreNamed() throws Exception {
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello\n");

        assertThatThrownBy(() -> Queries.load(dir.resolve("absent.ttl")))
                .isInstanceOf(RdfInputException.class)
                .hasMessage(dir.resolve("absent.ttl") + ": no such file");
        assertThatThrownBy(() -> Queries.load(txt))
                .isInstanceOf(RdfInputException.class)
                .hasMessageContaining("notes.txt: unknown RDF format");
    }
}
