package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled sample, {@code datasets/samples/sample.warc.gz}, must replay to exactly what a live audit of its zone
 * files and pages gives; regenerate it with {@code -Dchokepoint.regenerateSample=true} after changing them.
 */
class SampleTest {
    static final Path SAMPLE = World.root().resolve("datasets/samples/sample.warc.gz");
    static final List<String> SITES = List.of("example.com", "example.net", "example.org", "bücher.example");

    @TempDir
    Path dir;

    private static Cli.Run live(Path datasets, Path dir, String... more) throws Exception {
        try (ZoneServer server = ZoneServer.start(World.sampleZones());
                SampleWeb web = new SampleWeb(dir)) {
            List<String> args =
                    Cli.args("audit", "--resolver", "127.0.0.1:" + server.port(), "--datasets", datasets.toString());
            args.addAll(web.arguments());
            args.addAll(List.of(more));
            args.addAll(SITES);
            return Cli.run(args);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "chokepoint.regenerateSample", matches = "true")
    void regenerateSample() throws Exception {
        Cli.Run run = live(Cli.datasets(dir.resolve("d")), dir, "--record", SAMPLE.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    static final Path PICTURE = World.root().resolve("datasets/samples/example.com.dot");

    /** The test datasets with the entity map, so that the picture names the third parties' organisations. */
    private static Path pictureDatasets(Path dir) throws java.io.IOException {
        Path datasets = Cli.datasets(dir);
        Path entities = java.nio.file.Files.createDirectories(datasets.resolve("entities"));
        java.nio.file.Files.copy(
                World.root().resolve("datasets/entities/entities.csv"), entities.resolve("entities.csv"));
        return datasets;
    }

    private static Cli.Run exportPicture(Path datasets, Path out) {
        return Cli.run(
                "export",
                "--replay",
                SAMPLE.toString(),
                "--datasets",
                datasets.toString(),
                "--format",
                "dot",
                "--out",
                out.toString(),
                "-q",
                "example.com");
    }

    @Test
    @EnabledIfSystemProperty(named = "chokepoint.regenerateSample", matches = "true")
    void regeneratePicture() throws Exception {
        Cli.Run run = exportPicture(pictureDatasets(dir.resolve("d")), PICTURE);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void readmePictureIsTheCurrentDotExportOfTheSample() throws Exception {
        Path out = dir.resolve("example.com.dot");
        Cli.Run run = exportPicture(pictureDatasets(dir.resolve("d")), out);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out)
                .as("datasets/samples/example.com.dot is stale: regenerate it (datasets/samples/README.md)")
                .hasSameTextualContentAs(PICTURE);
    }

    @Test
    void shippedSampleReplaysLikeALiveAuditOfItsZonesAndPages() throws Exception {
        Path datasets = Cli.datasets(dir.resolve("datasets"));
        Cli.Run live = live(datasets, dir, "--format", "json");
        Cli.Run replay =
                Cli.run("audit", "--replay", SAMPLE.toString(), "--datasets", datasets.toString(), "--format", "json");

        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out())
                .isEqualTo(live.out()
                        .replace("\"target\" : \"bücher.example\"", "\"target\" : \"xn--bcher-kva.example\""));
        assertThat(replay.out()).contains("blocking-third-party-resource", "https-unavailable", "\"resources\"");
    }

    @Test
    void dnsOnlyReplayOfTheSampleIgnoresItsWebRecords() throws Exception {
        Cli.Run replay = Cli.run(
                "audit",
                "--no-web",
                "--replay",
                SAMPLE.toString(),
                "--datasets",
                Cli.datasets(dir.resolve("d")).toString(),
                "--format",
                "json");

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).doesNotContain("\"resources\"").contains("dns-single-provider");
    }
}
