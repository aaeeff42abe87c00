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
 * files gives; regenerate it with {@code -Dchokepoint.regenerateSample=true} after changing the zones.
 */
class SampleTest {
    static final Path SAMPLE = World.root().resolve("datasets/samples/sample.warc.gz");
    static final List<String> SITES = List.of("example.com", "example.net", "example.org", "bücher.example");

    @TempDir
    Path dir;

    private static List<String> live(ZoneServer server, Path datasets, String... more) {
        List<String> args = Cli.args(
                "audit", "--no-web", "--resolver", "127.0.0.1:" + server.port(), "--datasets", datasets.toString());
        args.addAll(List.of(more));
        args.addAll(SITES);
        return args;
    }

    @Test
    @EnabledIfSystemProperty(named = "chokepoint.regenerateSample", matches = "true")
    void regenerateSample() throws Exception {
        try (ZoneServer server = ZoneServer.start(World.sampleZones())) {
            Cli.Run run = Cli.run(live(server, Cli.datasets(dir.resolve("d")), "--record", SAMPLE.toString()));
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
    }

    @Test
    void shippedSampleReplaysLikeALiveAuditOfItsZones() throws Exception {
        Path datasets = Cli.datasets(dir.resolve("datasets"));
        Cli.Run live;
        try (ZoneServer server = ZoneServer.start(World.sampleZones())) {
            live = Cli.run(live(server, datasets, "--format", "json"));
        }
        Cli.Run replay = Cli.run(
                "audit",
                "--no-web",
                "--replay",
                SAMPLE.toString(),
                "--datasets",
                datasets.toString(),
                "--format",
                "json");

        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out())
                .isEqualTo(live.out()
                        .replace("\"target\" : \"bücher.example\"", "\"target\" : \"xn--bcher-kva.example\""));
    }
}
