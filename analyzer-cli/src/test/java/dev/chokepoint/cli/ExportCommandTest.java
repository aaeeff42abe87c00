package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.testdns.GeneratedWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The export command and the export formats of audit, on the bundled sample and on a scanned world. */
class ExportCommandTest {
    private static final Path SAMPLE = SampleTest.SAMPLE;
    private static final String SITE_CLASS = "https://w3id.org/chokepoint/vocab#Site";

    @TempDir
    static Path shared;

    private static Path datasets;

    @TempDir
    Path dir;

    @BeforeAll
    static void datasets() throws Exception {
        datasets = Cli.datasets(shared.resolve("datasets"));
    }

    private static Cli.Run export(String format, Path out, String... more) {
        List<String> args = Cli.args(
                "export", "--format", format, "--out", out.toString(), "--datasets", datasets.toString(), "-q");
        args.addAll(List.of(more));
        return Cli.run(args);
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void replayedSampleExportsEveryGraphFormat() throws Exception {
        Path graphml = dir.resolve("sample.graphml");
        Path dot = dir.resolve("sample.dot");
        Path csv = dir.resolve("csv");

        for (Object[] c :
                List.of(new Object[] {"graphml", graphml}, new Object[] {"dot", dot}, new Object[] {"csv", csv})) {
            Cli.Run run = export((String) c[0], (Path) c[1], "--replay", SAMPLE.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
        }

        assertThat(xml(graphml).getElementsByTagName("node").getLength()).isGreaterThan(20);
        assertThat(Files.readString(graphml)).contains("site:example.com", "site:xn--bcher-kva.example");
        assertThat(Files.readString(dot)).startsWith("digraph").contains("cluster_");
        try (Stream<Path> files = Files.list(csv)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("nodes.csv", "edges.csv", "findings.csv");
        }
    }

    @Test
    void sameReplayExportsToTheSameBytes() throws Exception {
        for (String format : List.of("ttl", "trig", "graphml")) {
            Path first = dir.resolve("first." + format);
            Path second = dir.resolve("second." + format);
            assertThat(export(format, first, "--replay", SAMPLE.toString()).exitCode())
                    .isZero();
            assertThat(export(format, second, "--replay", SAMPLE.toString()).exitCode())
                    .isZero();

            assertThat(Files.readAllBytes(second)).as(format).isEqualTo(Files.readAllBytes(first));
        }
    }

    @Test
    void rdfExportOfTheSampleReadsBackWithEverySite() throws Exception {
        Path ttl = dir.resolve("sample.ttl");
        Cli.Run run = export("ttl", ttl, "--replay", SAMPLE.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Model model = RDFDataMgr.loadModel(ttl.toString(), Lang.TURTLE);
        assertThat(model.listSubjectsWithProperty(org.apache.jena.vocabulary.RDF.type, model.createResource(SITE_CLASS))
                        .toList())
                .hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void unknownFormatIsAUsageErrorNamingIt() {
        Path out = dir.resolve("x.out");
        Cli.Run run = export("pdf", out, "--replay", SAMPLE.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("unknown --format 'pdf'").contains("graphml");
        assertThat(out).doesNotExist();
    }

    @Test
    void outInAMissingDirectoryFailsBeforeAnyAuditAndWritesNothing() {
        Path out = dir.resolve("missing/sample.ttl");
        Cli.Run run = export("ttl", out, "--replay", SAMPLE.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("cannot write --out").contains("no such directory");
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void fromADirectoryThatIsNoScanIsAUsageError() {
        Cli.Run run = export("dot", dir.resolve("x.dot"), "--from", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("not a scan directory");
    }

    @Test
    void fromAScanExportsEverySiteItScanned() throws Exception {
        GeneratedWorld world = GeneratedWorld.of(25);
        Path scan = dir.resolve("scan");
        Cli.scanWorld(world, scan, datasets, "--no-report");
        // The server is gone: the export replays the scan's snapshot.
        Path graphml = dir.resolve("scan.graphml");
        Cli.Run run = export("graphml", graphml, "--from", scan.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String text = Files.readString(graphml);
        for (String site : world.sites()) {
            assertThat(text).contains("\"site:" + site + "\"");
        }
    }

    @Test
    void scanStreamedIntoAFileInPartsHoldsWhatOnePartHolds() throws Exception {
        Path scan = dir.resolve("scan");
        GeneratedWorld world = GeneratedWorld.of(30);
        try (dev.chokepoint.testdns.ZoneServer server = dev.chokepoint.testdns.ZoneServer.start(world.zones())) {
            // One site the server does not know: a result that says it could not be audited.
            List<String> sites = new java.util.ArrayList<>(world.sites());
            sites.add("missing.example");
            Path input = Files.write(dir.resolve("scan-list.txt"), sites);
            Cli.Run scanned = Cli.run(Cli.scanArgs(input, scan, server.port(), datasets, "--no-report"));
            assertThat(scanned.exitCode()).as(scanned.err()).isZero();
        }
        Path whole = dir.resolve("whole.ttl");
        Path parts = dir.resolve("parts.ttl");

        Cli.Run one = export("ttl", whole, "--from", scan.toString());
        List<String> args =
                Cli.args("export", "--format", "ttl", "--out", parts.toString(), "--datasets", datasets.toString());
        args.addAll(List.of("--from", scan.toString(), "--part", "7"));
        Cli.Run sevens = Cli.run(args);

        assertThat(one.exitCode()).as(one.err()).isEqualTo(ExitCode.NOT_AUDITED);
        assertThat(sevens.exitCode()).as(sevens.err()).isEqualTo(ExitCode.NOT_AUDITED);
        assertThat(sevens.err()).contains("chokepoint: missing.example: ");
        org.apache.jena.rdf.model.Model wholeModel = RDFDataMgr.loadModel(whole.toString());
        org.apache.jena.rdf.model.Model partsModel = RDFDataMgr.loadModel(parts.toString());
        assertThat(partsModel.isIsomorphicWith(wholeModel)).isTrue();
        long triples = wholeModel
                .listObjectsOfProperty(org.apache.jena.vocabulary.VOID.triples)
                .next()
                .asLiteral()
                .getLong();
        assertThat(sevens.err()).contains("30 sites (1 not audited), " + triples + " triples, run ");
    }

    @Test
    void auditPrintsAnExportFormatOnStdoutButNotCsv() {
        Cli.Run dot =
                Cli.run("audit", "--replay", SAMPLE.toString(), "--datasets", datasets.toString(), "--format", "dot");
        Cli.Run csv =
                Cli.run("audit", "--replay", SAMPLE.toString(), "--datasets", datasets.toString(), "--format", "csv");

        assertThat(dot.exitCode()).as(dot.err()).isZero();
        assertThat(dot.out()).startsWith("digraph").contains("example.org");
        assertThat(csv.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(csv.err()).contains("csv writes a directory");
    }

    @Test
    void auditStoresRunsSideBySideInATdb2StoreThatQueryReads() {
        Path store = dir.resolve("store");
        for (String site : List.of("example.com", "example.net")) {
            Cli.Run run = Cli.run(
                    "audit",
                    "--replay",
                    SAMPLE.toString(),
                    "--datasets",
                    datasets.toString(),
                    "--store",
                    store.toString(),
                    "-q",
                    site);
            assertThat(run.exitCode()).as(run.err()).isZero();
        }

        Cli.Run query = Cli.run(
                "query",
                store.toString(),
                "SELECT ?site WHERE { ?site a <" + SITE_CLASS + "> } ORDER BY ?site",
                "--format",
                "csv");

        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out().lines().skip(1).toList())
                .containsExactly(
                        "https://w3id.org/chokepoint/id/site/example.com",
                        "https://w3id.org/chokepoint/id/site/example.net");
    }

    @Test
    void scanStreamedIntoAStoreInPartsHoldsWhatAWholeTrigExportHolds() throws Exception {
        Path scan = dir.resolve("scan");
        Cli.scanWorld(GeneratedWorld.of(30), scan, datasets, "--no-report");
        Path trig = dir.resolve("scan.trig");
        Path store = dir.resolve("store");

        Cli.Run whole = export("trig", trig, "--from", scan.toString());
        Cli.Run parts = Cli.run(
                "export",
                "--from",
                scan.toString(),
                "--store",
                store.toString(),
                "--store-part",
                "7",
                "--datasets",
                datasets.toString(),
                "-q");

        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertThat(parts.exitCode()).as(parts.err()).isZero();
        org.apache.jena.query.Dataset written = RDFDataMgr.loadDataset(trig.toString());
        try (dev.chokepoint.export.rdf.RdfStore stored = dev.chokepoint.export.rdf.RdfStore.openExisting(store)) {
            stored.read(d -> {
                String run = written.listModelNames().next().getURI();
                assertThat(d.getNamedModel(run).isIsomorphicWith(written.getNamedModel(run)))
                        .isTrue();
                assertThat(d.getDefaultModel().isIsomorphicWith(written.getDefaultModel()))
                        .isTrue();
                return null;
            });
        }
    }

    @Test
    void exportWithNothingToWriteIsAUsageError() {
        Cli.Run run = Cli.run("export", "--replay", SAMPLE.toString(), "--datasets", datasets.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("nothing to write");
    }
}
