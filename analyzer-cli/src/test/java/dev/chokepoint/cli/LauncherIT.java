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
        return launch(args, null);
    }

    /** Runs the launcher with {@code javaOptions} as CHOKEPOINT_JAVA_OPTS, or its own choices when null. */
    private static Process launch(List<String> args, String javaOptions) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(World.root().resolve("chokepoint").toString());
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(World.root().toFile());
        builder.environment().put("NO_COLOR", "1");
        builder.environment().remove("CHOKEPOINT_JAVA_OPTS"); // the launcher's own choices are under test
        if (javaOptions != null) {
            builder.environment().put("CHOKEPOINT_JAVA_OPTS", javaOptions);
        }
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

    /**
     * A result line of a site that runs its own DNS, with an NS set of its own, and whose DNS also needs the shared
     * provider (one alternative of both), so that failing the provider takes every such site down.
     */
    private static String selfHostedSite(int i) {
        String domain = "s" + i + ".example";
        return """
                {"domain":"%1$s","status":"ok","nameservers":["ns1.%1$s"],"services":[{"service":"dns","required":true,\
                "providers":[{"id":"%1$s:dns","party":"first","indirect":false,"singlePointOfFailure":true},\
                {"id":"shared:dns","organisation":"Shared","party":"third","indirect":false,"singlePointOfFailure":true}]}],\
                "survival":[{"service":"dns","required":true,"alternatives":[["%1$s:dns","shared:dns"]]}]}
                """
                .formatted(domain);
    }

    @Test
    void reportOfMoreNameserverSetsThanItHoldsSpillsThemToTemporaryFiles(@TempDir Path dir) throws Exception {
        // 100,003 sites with NS sets of their own: more keys than the report keeps in memory, for the NS sets, the
        // first-party providers and the half-down weights; two of them share one NS set. One more site runs the
        // shared provider itself.
        Path scan = Files.createDirectories(dir.resolve("scan"));
        // The site that runs the shared provider itself comes first, before any site has it as a third party.
        StringBuilder lines = new StringBuilder(
                """
                {"domain":"shared.example","status":"ok","nameservers":["ns1.shared.example"],"services":[{"service":"dns",\
                "required":true,"providers":[{"id":"shared:dns","organisation":"Shared","party":"first","indirect":false,\
                "singlePointOfFailure":true}]}],"survival":[{"service":"dns","required":true,"alternatives":[["shared:dns"]]}]}
                """);
        for (int i = 0; i < 100_001; i++) {
            lines.append(selfHostedSite(i));
        }
        lines.append(selfHostedSite(100_001).replace("ns1.s100001.example", "ns.pair.example"));
        lines.append(selfHostedSite(100_002).replace("ns1.s100002.example", "ns.pair.example"));
        Files.writeString(scan.resolve("results.ndjson"), lines);

        Process report = launch(List.of("report", scan.toString(), "--format", "json"));

        assertThat(report.exitCode()).as(report.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.out());
        assertThat(json.get("sites").asInt()).isEqualTo(100_004);
        JsonNode fate = json.get("sharedFate");
        assertThat(fate).hasSize(1);
        assertThat(fate.get(0).get("nameservers").get(0).asText()).isEqualTo("ns.pair.example");
        assertThat(fate.get(0).get("sites").asInt()).isEqualTo(2);
        assertThat(fate.get(0).get("examples").toString()).isEqualTo("[\"s100001.example\",\"s100002.example\"]");
        JsonNode shared = json.get("services").get("dns").get("providers").get(0);
        assertThat(shared.get("id").asText()).isEqualTo("shared:dns");
        assertThat(shared.get("directSites").asInt()).isEqualTo(100_003);
        assertThat(shared.get("firstPartySites").asInt()).isEqualTo(1);
        JsonNode halfDown = json.get("halfDown");
        assertThat(halfDown.get("providers").asInt()).isOne();
        assertThat(halfDown.get("steps").get(0).get("component").asText()).isEqualTo("shared:dns");
        assertThat(halfDown.get("steps").get(0).get("sitesDown").asInt()).isEqualTo(100_004);

        // Where the temporary files cannot go: one line naming the directory, exit 2.
        Path missing = dir.resolve("missing");
        Process failed =
                launch(List.of("report", scan.toString()), "-Xmx512m -XX:+UseParallelGC -Djava.io.tmpdir=" + missing);

        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(ExitCode.USAGE);
        // The JVM warns about the missing directory on a line of its own first.
        assertThat(failed.err().lines().filter(line -> line.startsWith("chokepoint:")))
                .containsExactly("chokepoint: " + scan + ": cannot compute the report: cannot create a temporary file"
                        + " for counts in " + missing + " (no such directory)");
        assertThat(failed.err()).doesNotContain("\tat ");
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
