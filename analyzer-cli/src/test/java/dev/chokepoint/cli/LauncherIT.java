package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./chokepoint} launcher, as a user runs it, against a local authoritative server. */
class LauncherIT {
    private record Process(int exitCode, String out, String err) {}

    private static Process launch(List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(World.root().resolve("chokepoint").toString());
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(World.root().toFile());
        builder.environment().put("NO_COLOR", "1");
        builder.environment().remove("CHOKEPOINT_JAVA_OPTS"); // the launcher's own choices are under test
        java.lang.Process process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Process(
                process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void launcherAuditsAgainstALocalServerAndReportsProvidersAndCriticalFlags() throws Exception {
        try (ZoneServer server = ZoneServer.start(World.sampleZones())) {
            Process run = launch(List.of(
                    "audit",
                    "--no-web",
                    "--resolver",
                    "127.0.0.1:" + server.port(),
                    "--format",
                    "json",
                    "example.com",
                    "example.net"));

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode results = new ObjectMapper().readTree(run.out()).get("results");
            JsonNode dns = results.get(0).get("services").get(0);
            assertThat(dns.get("service").asText()).isEqualTo("dns");
            assertThat(dns.get("critical").asBoolean()).isTrue();
            assertThat(dns.get("providers").get(0).get("id").asText()).isEqualTo("cloudflare:dns");
            assertThat(results.get(1).get("services").get(0).get("critical").asBoolean())
                    .isFalse();
        }
    }

    @Test
    void launcherReplaysTheBundledSampleWithNoNetwork() throws Exception {
        Process run = launch(
                List.of("audit", "--no-web", "--replay", "datasets/samples/sample.warc.gz", "--fail-on", "high"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.FINDINGS);
        assertThat(run.out()).contains("example.com", "example.net", "example.org", "bücher.example");
        assertThat(run.out()).doesNotContain("\u001b[");
    }

    @Test
    void launcherSizesTheHeapToTheList(@TempDir Path dir) throws Exception {
        // 1,500,000 lines (comments, so the scan itself has nothing to do): 320 MB + 80 MB per million = 440 MB,
        // where a short list gets 320 MB.
        Path list = Files.writeString(dir.resolve("list.txt"), "# a long list\n".repeat(1_500_000));
        Path shortList = Files.writeString(dir.resolve("short.txt"), "# a short list\n");

        long large;
        long small;
        long limitedStdin;
        long stdin;
        // A scan asks its resolver a test question before it starts: a local one, as in every test.
        try (ZoneServer server = ZoneServer.start(World.sampleZones())) {
            String resolver = "127.0.0.1:" + server.port();
            large = maxHeap(dir.resolve("large"), resolver, "--input", list.toString());
            small = maxHeap(dir.resolve("small"), resolver, "--input", shortList.toString());
            // Standard input has no length to count: its --limit says how many sites there will be at most.
            limitedStdin = maxHeap(dir.resolve("stdin"), resolver, "--input", "-", "--limit", "1500000");
            stdin = maxHeap(dir.resolve("stdin-unlimited"), resolver, "--input", "-");
        }

        assertThat(small).isBetween(250L, 320L);
        assertThat(large).isBetween(380L, 440L);
        assertThat(limitedStdin).isBetween(380L, 440L);
        assertThat(stdin).isBetween(250L, 320L);
    }

    private static long maxHeap(Path out, String resolver, String... input) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("scan", "--resolver", resolver));
        args.addAll(List.of(input));
        args.addAll(List.of("--out", out.toString(), "--no-web", "--no-report", "-q"));
        Process run = launch(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode manifest =
                new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        return manifest.get("runs").get(0).get("maxHeapMB").asLong();
    }

    @Test
    void launcherTurnsBadInputIntoOneLineAndExitTwo() throws Exception {
        Process run = launch(List.of("audit", "--no-web", "--replay", "datasets/samples/sample.warc.gz", "not a name"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip())
                .isEqualTo("chokepoint: invalid target 'not a name': contains a character not"
                        + " allowed in host names (letters, digits and hyphens only)");
    }
}
