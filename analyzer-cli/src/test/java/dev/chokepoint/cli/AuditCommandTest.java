package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit command end to end, against the sample world served on loopback. */
class AuditCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ZoneServer server;
    private static Path datasets;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = ZoneServer.start(World.sampleZones());
        datasets = Cli.datasets(shared.resolve("datasets"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> audit(String... more) {
        List<String> args = Cli.args(
                "audit",
                "--no-web",
                "--resolver",
                "127.0.0.1:" + server.port(),
                "--timeout",
                "2s",
                "--datasets",
                datasets.toString(),
                "--color",
                "never");
        args.addAll(List.of(more));
        return args;
    }

    private static JsonNode json(Cli.Run run) throws Exception {
        return JSON.readTree(run.out());
    }

    @Test
    void jsonCarriesTheDocumentedSchema() throws Exception {
        Cli.Run run = Cli.run(audit("--format", "json", "example.com", "example.net", "example.org"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode results = json(run).get("results");
        assertThat(results).hasSize(3);
        for (JsonNode result : results) {
            assertThat(result.fieldNames())
                    .toIterable()
                    .contains("target", "domain", "unicode", "status", "zone", "services", "findings", "score");
            assertThat(result.get("status").asText()).isEqualTo("ok");
            assertThat(result.get("score").asInt()).isBetween(0, 100);
            for (JsonNode service : result.get("services")) {
                assertThat(service.fieldNames()).toIterable().contains("service", "providers", "critical", "required");
                for (JsonNode provider : service.get("providers")) {
                    assertThat(provider.fieldNames()).toIterable().contains("id", "name", "thirdParty", "evidence");
                    assertThat(provider.get("evidence")).isNotEmpty();
                }
            }
            for (JsonNode finding : result.get("findings")) {
                assertThat(finding.fieldNames())
                        .toIterable()
                        .containsExactly("id", "severity", "service", "subject", "message");
            }
        }
        assertThat(json(run).get("datasets").get("asnTableDate").asText()).isEqualTo("2026-06-17");
    }

    @Test
    void providersAndCriticalFlagsMatchTheSampleWorld() throws Exception {
        JsonNode results = json(Cli.run(audit("--format", "json", "example.com", "example.net", "example.org")))
                .get("results");

        JsonNode cloudflareSite = service(results.get(0), "dns");
        assertThat(cloudflareSite.get("critical").asBoolean()).isTrue();
        assertThat(cloudflareSite.get("providers").get(0).get("id").asText()).isEqualTo("cloudflare:dns");
        JsonNode multiSite = service(results.get(1), "dns");
        assertThat(multiSite.get("critical").asBoolean()).isFalse();
        assertThat(multiSite.get("redundant").asBoolean()).isTrue();
        assertThat(ids(multiSite.get("providers"))).contains("aws:dns", "ns1:dns");
        JsonNode selfHosted = service(results.get(2), "dns");
        assertThat(selfHosted.get("providers").get(0).get("thirdParty").asBoolean())
                .isFalse();
        assertThat(ids(results.get(2).get("findings"))).contains("dns-same-prefix");
    }

    private static JsonNode service(JsonNode result, String id) {
        for (JsonNode service : result.get("services")) {
            if (service.get("service").asText().equals(id)) {
                return service;
            }
        }
        throw new AssertionError("no service " + id + " in " + result);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    @Test
    void failOnReturnsThreeWhenAFindingReachesTheThreshold() {
        assertThat(Cli.run(audit("--fail-on", "high", "example.com")).exitCode())
                .isEqualTo(ExitCode.FINDINGS);
        assertThat(Cli.run(audit("--fail-on", "critical", "example.com")).exitCode())
                .isEqualTo(ExitCode.OK);
        assertThat(Cli.run(audit("--fail-on", "medium", "example.org")).exitCode())
                .isEqualTo(ExitCode.FINDINGS);
        assertThat(Cli.run(audit("--fail-on", "high", "example.org")).exitCode())
                .isEqualTo(ExitCode.OK);
    }

    @Test
    void nonexistentSiteIsReportedAndTheOthersStillAudited() throws Exception {
        Cli.run(audit("--format", "json", "nope.example.com", "example.org"));
        Cli.Run run = Cli.run(audit("--format", "json", "nope.example.com", "example.org"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_AUDITED);
        JsonNode results = json(run).get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("error");
        assertThat(results.get(0).get("error").asText()).contains("NXDOMAIN");
        assertThat(results.get(1).get("status").asText()).isEqualTo("ok");
        assertThat(run.err()).contains("nope.example.com").contains("NXDOMAIN");
    }

    @Test
    void silentResolverGivesExitFourWithinTheTimeout() {
        try (ZoneServer silent = ZoneServer.start(World.sampleZones())) {
            silent.dropQueriesFor("example.org");
            Cli.Run run = Cli.run(Cli.args(
                    "audit",
                    "--no-web",
                    "--resolver",
                    "127.0.0.1:" + silent.port(),
                    "--timeout",
                    "200ms",
                    "--retries",
                    "0",
                    "--datasets",
                    datasets.toString(),
                    "example.org"));

            assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_AUDITED);
            assertThat(run.err()).contains("no resolver answered");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SERVFAIL", "REFUSED"})
    void zoneThatTheResolverWillNotAnswerIsNotAudited(String rcode) throws Exception {
        try (ZoneServer failing = ZoneServer.start(World.sampleZones())) {
            if (rcode.equals("SERVFAIL")) {
                failing.servfailFor("example.org");
            } else {
                failing.refuseFor("example.org");
            }
            Cli.Run run = Cli.run(Cli.args(
                    "audit",
                    "--no-web",
                    "--resolver",
                    "127.0.0.1:" + failing.port(),
                    "--datasets",
                    datasets.toString(),
                    "--format",
                    "json",
                    "example.org",
                    "example.com"));

            assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_AUDITED);
            assertThat(run.err()).contains("example.org: resolver answered " + rcode);
            assertThat(json(run).get("results").get(1).get("status").asText()).isEqualTo("ok");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa mple.com", "a..b.com", "com", "192.0.2.1", "ftp://example.com/", "localhost"})
    void invalidTargetIsAUsageErrorNamingTheInputAndNothingIsAudited(String target) {
        int before = server.queryCount();
        Cli.Run run = Cli.run(audit("example.com", target));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("'" + target + "'")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(run.err().lines().count()).isEqualTo(1);
        assertThat(server.queryCount()).isEqualTo(before);
    }

    @Test
    void labelAndNameLengthLimitsAreUsageErrors() {
        String longLabel = "a".repeat(64) + ".com";
        String longName = ("a".repeat(60) + ".").repeat(5) + "com";

        assertThat(Cli.run(audit(longLabel)).err()).contains("longer than 63");
        assertThat(Cli.run(audit(longName)).err()).contains("longer than 253");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--format=xml",
                "--fail-on=severe",
                "--timeout=soon",
                "--resolver=[::1",
                "--retries=-1",
                "--color=sometimes",
                "--unknown-option"
            })
    void badOptionIsAUsageError(String option) {
        Cli.Run run = Cli.run(audit(option, "example.com"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("chokepoint: ").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--connect-to=nonsense",
                "--connect-to=a.example:443:not-an-ip:1",
                "--connect-to=a.example:99999:127.0.0.1:1",
                "--max-body=lots",
                "--max-body=0",
                "--site-timeout=forever",
                "--cacert=/nonexistent/ca.pem",
                "--max-redirects=-1",
                "--max-resources=0"
            })
    void badWebOptionIsAUsageErrorInOneLine(String option) {
        Cli.Run run = Cli.run(Cli.args(
                "audit",
                "--replay",
                SampleTest.SAMPLE.toString(),
                "--datasets",
                datasets.toString(),
                option,
                "example.com"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("chokepoint: ").doesNotContain("Exception");
    }

    @Test
    void caCertificateFileThatIsNotPemIsAUsageError() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        Cli.Run run = Cli.run(Cli.args(
                "audit",
                "--replay",
                SampleTest.SAMPLE.toString(),
                "--datasets",
                datasets.toString(),
                "--cacert",
                notPem.toString(),
                "example.com"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("ca.pem");
    }

    @Test
    void replayedWebAuditListsResourcesInJson() throws Exception {
        Cli.Run run = Cli.run(Cli.args(
                "audit",
                "--replay",
                SampleTest.SAMPLE.toString(),
                "--datasets",
                datasets.toString(),
                "--format",
                "json",
                "example.com"));

        JsonNode resources = json(run).get("results").get(0).get("resources");
        assertThat(resources).isNotEmpty();
        for (JsonNode resource : resources) {
            assertThat(resource.fieldNames())
                    .toIterable()
                    .contains("url", "host", "kind", "blocking", "thirdParty", "provider");
        }
        assertThat(ids(json(run).get("results").get(0).get("findings"))).contains("blocking-third-party-resource");
    }

    @Test
    void duplicatesAndSpellingsOfOneNameAreAuditedOnce() throws Exception {
        Cli.Run run = Cli.run(audit("--format", "json", "example.com", "EXAMPLE.COM.", "https://example.com/path?q=1"));

        assertThat(json(run).get("results")).hasSize(1);
        assertThat(json(run).get("results").get(0).get("target").asText()).isEqualTo("example.com");
    }

    @Test
    void internationalisedNameIsShownInBothForms() throws Exception {
        Cli.Run text = Cli.run(audit("bücher.example"));
        Cli.Run json = Cli.run(audit("--format", "json", "BÜCHER.example"));

        assertThat(text.out()).contains("bücher.example (xn--bcher-kva.example)");
        JsonNode result = json(json).get("results").get(0);
        assertThat(result.get("domain").asText()).isEqualTo("xn--bcher-kva.example");
        assertThat(result.get("unicode").asText()).isEqualTo("bücher.example");
        assertThat(ids(result.get("findings"))).contains("dns-indirect-dependency");
    }

    @Test
    void recordedAuditReplaysToTheSameOutputWithNoServer() throws Exception {
        Path warc = dir.resolve("audit.warc.gz");
        Cli.Run live = Cli.run(audit("--format", "json", "--record", warc.toString(), "example.com", "example.net"));
        Cli.Run replay = Cli.run(Cli.args(
                "audit",
                "--no-web",
                "--replay",
                warc.toString(),
                "--datasets",
                datasets.toString(),
                "--format",
                "json",
                "example.com",
                "example.net"));

        assertThat(live.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(Files.size(warc)).isPositive();
        assertThat(replay.out()).isEqualTo(live.out());
    }

    @Test
    void replayAndResolverTogetherIsAUsageError() {
        Cli.Run run = Cli.run(audit("--replay", "x.warc", "example.com"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--replay");
    }

    @Test
    void missingSnapshotIsAUsageErrorNamingTheFile() {
        Cli.Run run = Cli.run(Cli.args(
                "audit",
                "--no-web",
                "--replay",
                dir.resolve("absent.warc").toString(),
                "--datasets",
                datasets.toString(),
                "example.com"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("absent.warc").contains("no such snapshot file");
    }

    @Test
    void badDatasetEntryIsAUsageErrorNamingFileAndLine() throws Exception {
        Path broken = Cli.datasets(dir.resolve("broken"));
        Path patterns = broken.resolve("providers/patterns.csv");
        Files.writeString(patterns, Files.readString(patterns) + "cloudflare,dsn,ns,ns.example.net,,https://x.test/\n");
        long line = Files.readAllLines(patterns).size();

        Cli.Run run = Cli.run(
                Cli.args("audit", "--no-web", "--datasets", broken.toString(), "--replay", "x.warc", "example.com"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("patterns.csv:" + line + ": unknown service 'dsn'");
    }

    @Test
    void textReportIsPlainWhenNotATerminalAndColouredWhenAsked() {
        Cli.Run plain = Cli.run(audit("example.com"));
        List<String> coloured = audit("example.com");
        coloured.set(coloured.indexOf("never"), "always");
        Cli.Run colour = Cli.run(coloured);

        assertThat(plain.out())
                .doesNotContain("\u001b[")
                .contains("dns-single-provider")
                .contains("score 35/100");
        assertThat(colour.out()).contains("\u001b[");
    }

    @Test
    void helpListsTheExitCodes() {
        Cli.Run run = Cli.run("audit", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Exit codes:").contains("3   a finding at or above --fail-on");
    }
}
