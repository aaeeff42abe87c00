package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.RunInfo;
import dev.chokepoint.export.rdf.CP;
import dev.chokepoint.export.rdf.RdfExport;
import dev.chokepoint.export.rdf.RdfShapes;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.snapshot.WarcSnapshot;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.web.WebSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.lib.ShLib;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The RDF export of the bundled sample, replayed with its web pages, certificates and third-party content (an IDN
 * among the sites): conforms to the shapes and reads back the same in every format.
 */
class SampleRdfTest {
    @TempDir
    static java.nio.file.Path dir;

    private static ExportBatch batch;
    private static Graph union;

    @BeforeAll
    static void replay() throws Exception {
        batch = replayBatch();
        union = RdfExport.union(RdfExport.dataset(batch));
    }

    private static ExportBatch replayBatch() throws Exception {
        java.nio.file.Path datasets = dir.resolve("datasets");
        Datasets data = Datasets.load(java.nio.file.Files.isDirectory(datasets) ? datasets : Cli.datasets(datasets));
        WarcSnapshot snapshot = WarcSnapshot.read(SampleTest.SAMPLE);
        Auditor auditor = new Auditor(new DnsjavaClient(snapshot), data.attributor(), snapshot, WebSettings.defaults());
        List<AuditResult> results = new ArrayList<>();
        for (String site : SampleTest.SITES) {
            results.add(auditor.audit(site, DomainName.parse(site)));
        }
        return new ExportBatch(
                new RunInfo(
                        "sample",
                        Instant.parse("2026-06-17T10:00:00Z"),
                        Instant.parse("2026-06-17T10:00:01Z"),
                        "test",
                        "2.3.2026061719",
                        List.of("replay:sample.warc.gz"),
                        "sample.warc.gz"),
                results);
    }

    @ParameterizedTest
    @EnumSource(
            value = ExportFormat.class,
            names = {"TTL", "NT", "JSONLD", "TRIG"})
    void secondReplayExportsToTheSameBytes(ExportFormat format) throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();

        RdfExport.write(batch, format, first);
        RdfExport.write(replayBatch(), format, second);

        assertThat(first.size()).isGreaterThan(10_000);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void sampleExportConformsToTheShapesAndHasPageContentAndCertificateAuthorities() {
        ValidationReport report =
                RdfShapes.load(World.root().resolve("datasets")).validate(union);

        assertThat(report.conforms())
                .as(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ShLib.printReport(out, report);
                    return out.toString(StandardCharsets.UTF_8);
                })
                .isTrue();
        assertThat(union.find(Node.ANY, CP.service.asNode(), CP.PageContent.asNode())
                        .toList())
                .isNotEmpty();
        assertThat(union.find(Node.ANY, CP.service.asNode(), CP.CertificateAuthority.asNode())
                        .toList())
                .isNotEmpty();
        assertThat(union.find(Node.ANY, CP.score.asNode(), Node.ANY).toList()).hasSize(4);
        var yes = org.apache.jena.graph.NodeFactory.createLiteralByValue(true);
        List<Node> blocking = union.find(Node.ANY, CP.blocking.asNode(), yes)
                .mapWith(org.apache.jena.graph.Triple::getSubject)
                .toList();
        assertThat(blocking)
                .isNotEmpty()
                .anySatisfy(r -> assertThat(union.contains(r, CP.provider.asNode(), Node.ANY))
                        .isTrue())
                .allSatisfy(r -> assertThat(union.contains(r, CP.host.asNode(), Node.ANY))
                        .isTrue());
    }

    @Test
    void blockingThirdPartyContentQueryNamesTheProvidersPagesWaitFor() throws Exception {
        String query = java.nio.file.Files.readString(
                World.root().resolve("datasets/queries/blocking-third-party-content.rq"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        dev.chokepoint.export.rdf.SparqlQuery.parse(query)
                .run(RdfExport.dataset(batch), dev.chokepoint.export.rdf.SparqlQuery.Output.CSV, out);

        // The test datasets have no entity map, so content providers are named by their registrable domain.
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "site,provider,resources,withoutIntegrity",
                        "example.com,Cloudflare page content,1,1",
                        "example.com,fonts.googleapis.com page content,1,1",
                        "example.com,stripe.com page content,1,1",
                        "example.net,cookielaw.org page content,1,1",
                        "example.net,jsdelivr.net page content,1,0",
                        "xn--bcher-kva.example,fonts.googleapis.com page content,1,1");
    }

    @Test
    void spofQueryCountsASiteAsOnlyIndirectOnlyWhenNoRequiredServiceUsesTheProviderDirectly() throws Exception {
        String query = java.nio.file.Files.readString(World.root().resolve("datasets/queries/spof-providers.rq"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        dev.chokepoint.export.rdf.SparqlQuery.parse(query)
                .run(RdfExport.dataset(batch), dev.chokepoint.export.rdf.SparqlQuery.Output.CSV, out);

        // example.com's own nameservers are Cloudflare's (direct), though its page content also reaches Cloudflare DNS
        // indirectly; example.net (content) and bücher.example (its DNS host's DNS) reach it only indirectly.
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).contains("cloudflare:dns,Cloudflare DNS,3,2");
    }

    @ParameterizedTest
    @EnumSource(
            value = ExportFormat.class,
            names = {"TTL", "NT", "JSONLD"})
    void sampleReadsBackIsomorphic(ExportFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdfExport.write(batch, format, out);
        Lang lang = format == ExportFormat.TTL ? Lang.TURTLE : format == ExportFormat.NT ? Lang.NTRIPLES : Lang.JSONLD;

        Graph read = RDFParser.source(new ByteArrayInputStream(out.toByteArray()))
                .lang(lang)
                .toGraph();

        assertThat(read.isIsomorphicWith(union)).isTrue();
    }
}
