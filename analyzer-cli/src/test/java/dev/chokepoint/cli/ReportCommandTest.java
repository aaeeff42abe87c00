package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.testdns.GeneratedWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report command on a scanned generated world. */
class ReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Path scan;

    @BeforeAll
    static void scanAWorld() throws Exception {
        GeneratedWorld world = GeneratedWorld.of(100);
        scan = dir.resolve("scan");
        Cli.scanWorld(world, scan, Cli.datasets(dir.resolve("datasets")));
    }

    @Test
    void scanWritesTheReportFilesAndTheChart() throws Exception {
        assertThat(scan.resolve("report.json")).exists();
        assertThat(scan.resolve("report.csv")).exists();
        var svg = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(scan.resolve("impact.svg").toFile());
        assertThat(svg.getDocumentElement().getNodeName()).isEqualTo("svg");
    }

    @Test
    void reportCountsTheWorldsProvidersAsConstructed() throws Exception {
        Cli.Run run = Cli.run("report", scan.toString(), "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("sites").asInt()).isEqualTo(100);
        JsonNode dns = report.get("services").get("dns").get("providers");
        JsonNode dns1 = null;
        JsonNode dns5 = null;
        for (JsonNode provider : dns) {
            if (provider.get("id").asText().equals("dns1.test:dns")) {
                dns1 = provider;
            }
            if (provider.get("id").asText().equals("dns5.test:dns")) {
                dns5 = provider;
            }
        }
        // dns1 serves dns5's own zone: it takes down dns5's sites too, so its impact is amplified.
        assertThat(dns1).isNotNull();
        assertThat(dns5).isNotNull();
        assertThat(dns1.get("allImpact").asInt())
                .isGreaterThan(dns1.get("directImpact").asInt());
        assertThat(dns1.get("allImpact").asInt() - dns1.get("directImpact").asInt())
                .isEqualTo(dns5.get("directImpact").asInt());
        assertThat(report.get("halfDown").get("reached").asBoolean()).isTrue();
        assertThat(report.get("sharedFate")).isNotEmpty();
    }

    @Test
    void textReportIsAnAlignedTable() {
        Cli.Run run = Cli.run("report", scan.toString(), "--color", "never");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Provider concentration across 100 sites", "HHI", "SPOF FOR", "dns1.test DNS");
    }

    @Test
    void sharedFateIsAnAlignedTable() throws Exception {
        JsonNode groups = JSON.readTree(
                        Cli.run("report", scan.toString(), "--format", "json").out())
                .get("sharedFate");
        List<String> lines = Cli.run("report", scan.toString(), "--color", "never")
                .out()
                .lines()
                .toList();
        String header = lines.get(lines.indexOf("Shared fate (sites with one identical nameserver set):") + 1);
        int nameservers = header.indexOf("NAMESERVERS");
        int examples = header.indexOf("FOR EXAMPLE");
        assertThat(header).startsWith("  SITES");
        assertThat(groups.size()).isGreaterThan(1);

        for (int i = 0; i < Math.min(5, groups.size()); i++) {
            JsonNode group = groups.get(i);
            List<String> names = new ArrayList<>();
            group.get("nameservers").forEach(n -> names.add(n.asText()));
            String row = lines.get(lines.indexOf(header) + 1 + i);
            // The count right-aligned under SITES, every nameserver set and its examples starting in one column.
            assertThat(row.substring(0, nameservers - 2))
                    .isEqualTo(String.format(
                            Locale.ROOT,
                            "  %" + (nameservers - 4) + "d",
                            group.get("sites").asLong()));
            String set = String.join(" ", names);
            assertThat(row.indexOf(set)).isEqualTo(nameservers);
            // Searched after the set: a site's own nameservers carry its name.
            assertThat(row.indexOf(group.get("examples").get(0).asText(), nameservers + set.length()))
                    .isEqualTo(examples);
        }
    }

    @Test
    void textReportSaysHowManyProvidersAndGroupsItLeavesOut() throws Exception {
        JsonNode report = JSON.readTree(
                Cli.run("report", scan.toString(), "--format", "json").out());
        int dnsProviders = report.get("services").get("dns").get("providers").size();
        int most = 0;
        for (JsonNode service : report.get("services")) {
            most = Math.max(most, service.get("providers").size());
        }

        Cli.Run top = Cli.run("report", scan.toString(), "--color", "never", "--top", "2");
        Cli.Run all = Cli.run("report", scan.toString(), "--color", "never", "--top", String.valueOf(most));

        assertThat(dnsProviders).isGreaterThan(3);
        assertThat(top.out())
                .contains("  … " + (dnsProviders - 2) + " more providers (report --top " + dnsProviders
                        + " shows all; report.csv has them)");
        assertThat(all.out()).doesNotContain("more provider");
        // Shared fate shows five groups and counts the rest.
        int groups = report.get("sharedFate").size();
        assertThat(groups).isGreaterThan(5);
        assertThat(top.out())
                .contains("  … " + (groups - 5) + " more group" + (groups == 6 ? "" : "s") + " in report.json");
    }

    @Test
    void theReportsProgressCountsEveryByteOfTheResultsOnce() throws Exception {
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();

        ReportCommand.computeCounting(scan, read::addAndGet);

        // ASCII lines, each with its line end, read in one pass: the file's size exactly.
        assertThat(read.get()).isEqualTo(Files.size(scan.resolve("results.ndjson")));
    }

    @Test
    void aLargeResultsFileShowsHowMuchReportAndSimulateHaveRead() throws Exception {
        // The scanned world's lines again and again, past the size from which progress is shown.
        Path large = Files.createDirectories(dir.resolve("large"));
        byte[] lines = Files.readAllBytes(scan.resolve("results.ndjson"));
        try (var out = Files.newOutputStream(large.resolve("results.ndjson"))) {
            for (long written = 0; written < Progress.READING_SHOWN_FROM; written += lines.length) {
                out.write(lines);
            }
        }
        long mb = Files.size(large.resolve("results.ndjson")) >> 20;

        Cli.Run report = Cli.run("report", large.toString(), "--format", "csv");
        Cli.Run simulate = Cli.run("simulate", "--fail", "dns1.test", "--from", large.toString());
        Cli.Run quiet = Cli.run("simulate", "--fail", "dns1.test", "--from", large.toString(), "-q");

        assertThat(report.exitCode()).as(report.err()).isZero();
        // Off a terminal, a line at the end (and every ten seconds before it).
        assertThat(report.err()).contains("report: " + mb + "/" + mb + " MB of results read, ");
        assertThat(simulate.exitCode()).as(simulate.err()).isZero();
        assertThat(simulate.err()).contains("simulate: " + mb + "/" + mb + " MB of results read, ");
        assertThat(quiet.err()).doesNotContain("MB of results read");
    }

    @Test
    void textReportNamesEveryFileItWrote() throws Exception {
        // A copy, so that the stale chart planted here cannot reach the other tests.
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.copy(scan.resolve("results.ndjson"), copy.resolve("results.ndjson"));
        // The generated world has no CDN; a chart left by an earlier report of other results must go.
        Files.writeString(copy.resolve("impact-cdn.svg"), "<svg/>");

        Cli.Run run = Cli.run("report", copy.toString(), "--color", "never");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(copy.resolve("impact-dns.svg")).exists();
        assertThat(copy.resolve("impact-cdn.svg")).doesNotExist();
        assertThat(run.out())
                .contains("Written: " + copy.resolve("report.json") + ", report.csv, impact.svg, impact-dns.svg")
                .doesNotContain("impact-cdn.svg");
    }

    @Test
    void pngAsksForTheChartsAsPngTooAndAReportWithoutItRemovesThem() throws Exception {
        Path copy = dir.resolve("png");
        Files.createDirectories(copy);
        Files.copy(scan.resolve("results.ndjson"), copy.resolve("results.ndjson"));

        Cli.Run run = Cli.run("report", copy.toString(), "--color", "never", "--png");

        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String chart : List.of("impact.png", "impact-dns.png")) {
            java.awt.image.BufferedImage image =
                    javax.imageio.ImageIO.read(copy.resolve(chart).toFile());
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).isGreaterThan(400);
        }
        assertThat(copy.resolve("impact-cdn.png")).doesNotExist();
        assertThat(run.out())
                .contains("Written: " + copy.resolve("report.json")
                        + ", report.csv, impact.svg, impact.png, impact-dns.svg, impact-dns.png");

        Cli.Run without = Cli.run("report", copy.toString(), "--color", "never");

        assertThat(without.exitCode()).as(without.err()).isZero();
        assertThat(copy.resolve("impact.png")).doesNotExist();
        assertThat(copy.resolve("impact-dns.png")).doesNotExist();
        assertThat(copy.resolve("impact.svg")).exists();
    }

    @Test
    void directoryWithoutResultsIsAUsageError() {
        Cli.Run run = Cli.run("report", dir.resolve("nothing").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("not a scan directory");
    }
}
