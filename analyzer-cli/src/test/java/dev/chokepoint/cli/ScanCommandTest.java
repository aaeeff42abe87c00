package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.scan.ScanDirectory;
import dev.chokepoint.testdns.GeneratedWorld;
import dev.chokepoint.testdns.ZoneServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch scans of a generated world on loopback: completeness, resume after kill -9, locking, bad input. */
class ScanCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GeneratedWorld world;
    private static ZoneServer server;
    private static Path datasets;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        world = GeneratedWorld.of(300);
        server = ZoneServer.start(world.zones());
        datasets = Cli.datasets(shared.resolve("datasets"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Path input() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("rank,domain");
        for (int i = 0; i < world.sites().size(); i++) {
            lines.add((i + 1) + "," + world.sites().get(i));
        }
        return Files.write(dir.resolve("list.csv"), lines);
    }

    private List<String> scanArgs(Path input, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--timeout", "2s"));
        args.addAll(List.of(more));
        return Cli.scanArgs(input, out, server.port(), datasets, args.toArray(String[]::new));
    }

    /** The first run recorded in the scan directory's manifest. */
    private static JsonNode firstRun(Path out) throws Exception {
        return JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile())
                .get("runs")
                .get(0);
    }

    private static Map<String, String> results(Path out) throws Exception {
        Map<String, String> byDomain = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve(ScanDirectory.RESULTS), StandardCharsets.UTF_8)) {
            JsonNode node = JSON.readTree(line);
            String previous = byDomain.put(node.get("domain").asText(), line);
            assertThat(previous)
                    .as("duplicate result for " + node.get("domain"))
                    .isNull();
        }
        return byDomain;
    }

    @Test
    void everySiteIsPresentExactlyOnceAndAudited() throws Exception {
        Path out = dir.resolve("scan");
        Cli.Run run = Cli.run(scanArgs(input(), out));

        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, String> results = results(out);
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(world.sites());
        assertThat(results.values()).allSatisfy(line -> assertThat(line).contains("\"status\":\"ok\""));
        JsonNode manifest = JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile());
        assertThat(manifest.get("status").asText()).isEqualTo("complete");
        assertThat(manifest.get("runs").get(0).get("audited").asLong()).isEqualTo(300);
        assertThat(manifest.get("runs").get(0).get("dnsQueries").asLong()).isPositive();
        assertThat(Files.list(out))
                .anySatisfy(p -> assertThat(p.getFileName().toString()).endsWith(".warc.gz"));
    }

    @Test
    void aScanHeldAtTheQpsCeilingSaysSoInItsProgressAndAtTheEnd() throws Exception {
        Cli.Run held = scanThreeAt("10", "slow");

        assertThat(held.err()).contains("3/3 done, 0 failed").contains("; held at --qps 10");
        assertThat(held.out()).contains("most queries waited for the --qps ceiling of 10 a second to each resolver");
        JsonNode slow = firstRun(dir.resolve("slow"));
        assertThat(slow.get("queriesHeldByQps").asLong() * 2)
                .isGreaterThan(slow.get("dnsQueries").asLong());

        // No ceiling, or one far above what the scan asks, holds nothing back.
        for (String qps : List.of("0", "100000")) {
            Cli.Run free = scanThreeAt(qps, "free-" + qps);

            assertThat(free.err()).contains("3/3 done").doesNotContain("held at");
            assertThat(free.out()).doesNotContain("ceiling");
            JsonNode run = firstRun(dir.resolve("free-" + qps));
            // Two sites asking within the same 10 µs may still wait for each other's permit, but not most queries.
            assertThat(run.get("queriesHeldByQps").asLong() * 2)
                    .isLessThanOrEqualTo(run.get("dnsQueries").asLong());
        }
    }

    /** Scans the first three sites with {@code --qps qps} into {@code out}, showing progress, and checks it ends well. */
    private Cli.Run scanThreeAt(String qps, String out) throws Exception {
        List<String> args = scanArgs(input(), dir.resolve(out), "--qps", qps, "--limit", "3", "--no-report");
        args.remove("-q");
        Cli.Run run = Cli.run(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    @Test
    void reportCountedDuringTheScanIsTheOneReadBackFromTheResults() throws Exception {
        Path out = dir.resolve("scan");
        assertThat(Cli.run(scanArgs(input(), out)).exitCode()).isZero();
        String counted = Files.readString(out.resolve("report.json"));

        Cli.Run reread = Cli.run("report", out.toString(), "--format", "json");

        assertThat(reread.exitCode()).as(reread.err()).isZero();
        assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(counted);
        JsonNode report = JSON.readTree(counted);
        assertThat(report.get("sites").asInt()).isEqualTo(300);
        assertThat(report.get("sharedFate")).isNotEmpty();
    }

    @Test
    void sharedProviderQuestionsAreAskedOncePerBatch() throws Exception {
        server.clearQueryLog();
        Cli.run(scanArgs(input(), dir.resolve("scan"), "--limit", "100"));

        assertThat(server.queryLog().stream()
                        .filter(q -> q.startsWith("ns1.dns1.test. A "))
                        .count())
                .isEqualTo(1);
    }

    /**
     * Starts the scan of {@code input} into {@code out} in a child JVM, throttled so that it is still busy when it
     * is stopped, and returns once it has written {@code lines} result lines.
     */
    private Process startThrottled(Path input, Path out, int lines) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(scanArgs(input, out, "--qps", "400", "--concurrency", "8"));
        Process child = new ProcessBuilder(command)
                .redirectError(dir.resolve("child.err").toFile())
                .redirectOutput(dir.resolve("child.out").toFile())
                .start();
        Path results = out.resolve(ScanDirectory.RESULTS);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline
                && (!Files.exists(results) || Files.readAllLines(results).size() < lines)) {
            Thread.sleep(20);
        }
        return child;
    }

    @Test
    void aScanStoppedByASignalMarksItsRunInterruptedAndSaysHowToResume() throws Exception {
        Path out = dir.resolve("stopped");
        Path input = input();
        Process child = startThrottled(input, out, 40);

        child.destroy(); // SIGTERM, as kill does; Ctrl-C's SIGINT takes the same path

        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(128 + 15);
        int written = Files.readAllLines(out.resolve(ScanDirectory.RESULTS)).size();
        assertThat(written).as("stopped before it finished").isBetween(40, 299);
        JsonNode manifest = JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile());
        assertThat(manifest.get("status").asText()).isEqualTo("interrupted");
        JsonNode run = manifest.get("runs").get(0);
        assertThat(run.get("status").asText()).isEqualTo("interrupted");
        assertThat(run.get("ended").asText()).isNotEmpty();
        // Sites in flight may still finish their lines as the JVM exits, after the count was taken.
        assertThat(run.get("resultLines").asLong()).isBetween(40L, (long) written);
        assertThat(Files.readString(dir.resolve("child.err")))
                .contains("chokepoint: scan interrupted: ")
                .contains("run the same command again to resume");

        Cli.Run resumed = Cli.run(scanArgs(input, out));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(results(out).keySet()).containsExactlyInAnyOrderElementsOf(world.sites());
        assertThat(JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile())
                        .get("status")
                        .asText())
                .isEqualTo("complete");
    }

    @Test
    void aScanWhoseHeapFillsStopsWithAnErrorThatSaysHowToResume() throws Exception {
        Path out = dir.resolve("heap");
        Path input = input();
        // Any live data is more than a billionth of the heap; a full collection must run for the JVM to measure it.
        Thread collector = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Cli.Run stopped;
        try {
            stopped = Cli.run(scanArgs(input, out, "--qps", "400", "--concurrency", "8", "--stop-at-heap", "1e-7"));
        } finally {
            collector.interrupt();
        }

        assertThat(stopped.exitCode()).as(stopped.err()).isEqualTo(ExitCode.USAGE);
        assertThat(stopped.err())
                .contains("chokepoint: scan stopped before the Java heap limit of ")
                .contains("full after a full collection")
                .contains("run the same command again with a larger heap to resume");
        int written = Files.readAllLines(out.resolve(ScanDirectory.RESULTS)).size();
        assertThat(written).as("stopped before it finished").isBetween(1, 299);
        JsonNode manifest = JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile());
        assertThat(manifest.get("status").asText()).isEqualTo("stopped");
        assertThat(manifest.get("runs").get(0).get("resultLines").asLong()).isEqualTo(written);
        assertThat(manifest.get("runs").get(0).get("reason").asText()).startsWith("scan stopped before");

        Cli.Run resumed = Cli.run(scanArgs(input, out));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(results(out).keySet()).containsExactlyInAnyOrderElementsOf(world.sites());
    }

    @Test
    void aResolverThatAnswersNothingStopsTheScanBeforeAnythingIsWritten() throws Exception {
        int nobody;
        try (java.net.DatagramSocket unused =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            nobody = unused.getLocalPort();
        }
        Path out = dir.resolve("no-resolver");

        Cli.Run run = Cli.run(Cli.scanArgs(input(), out, nobody, datasets, "--timeout", "300ms", "--retries", "0"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip())
                .isEqualTo("chokepoint: --resolver 127.0.0.1:" + nobody + ": no answer to a test question (. SOA)"
                        + " in 1 attempt of 300 ms: check the address and the network; nothing was scanned");
        assertThat(out).doesNotExist();
    }

    @Test
    void retryFailedAuditsAgainTheSitesThatCouldNotBeAuditedKeepingOneLineEach() throws Exception {
        Path out = dir.resolve("retry");
        Path input = input();
        String broken = world.sites().get(3);
        server.servfailFor(broken);
        try {
            Cli.run(scanArgs(input, out, "--limit", "10"));
        } finally {
            server.clearFaults();
        }
        Map<String, String> first = results(out);
        assertThat(first.get(broken)).contains("\"status\":\"error\"");

        // Resuming alone leaves a failed site as it is: it has a result.
        Cli.run(scanArgs(input, out, "--limit", "10"));
        assertThat(results(out)).isEqualTo(first);

        Cli.Run retried = Cli.run(scanArgs(input, out, "--limit", "10", "--retry-failed"));

        assertThat(retried.exitCode()).as(retried.err()).isZero();
        Map<String, String> after = results(out); // also checks that no site has two lines
        assertThat(after).hasSize(10);
        assertThat(after.get(broken)).contains("\"status\":\"ok\"");
        first.remove(broken);
        assertThat(after).containsAllEntriesOf(first);
        JsonNode runs =
                JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile()).get("runs");
        JsonNode last = runs.get(runs.size() - 1);
        assertThat(last.get("retriedFailed").asLong()).isEqualTo(1);
        assertThat(last.get("audited").asLong()).isEqualTo(1);
        assertThat(last.get("resumed").asLong()).isEqualTo(9);
        assertThat(out.resolve(ScanDirectory.RESULTS + ".tmp")).doesNotExist();
        assertThat(JSON.readTree(out.resolve("report.json").toFile())
                        .get("sites")
                        .asInt())
                .isEqualTo(10);
    }

    @Test
    void retryFailedWithKindsAuditsAgainOnlyTheSitesThatFailedThatWay() throws Exception {
        Path out = dir.resolve("kinds");
        Path input = input();
        String silent = world.sites().get(2);
        String erring = world.sites().get(5);
        server.dropQueriesFor(silent);
        server.servfailFor(erring);
        List<String> quick = List.of("--limit", "10", "--timeout", "300ms", "--retries", "0");
        try {
            Cli.run(Cli.scanArgs(input, out, server.port(), datasets, quick.toArray(String[]::new)));
        } finally {
            server.clearFaults();
        }
        Map<String, String> first = results(out);
        assertThat(first.get(silent)).contains("\"errorKind\":\"no-answer\"");
        assertThat(first.get(erring)).contains("\"errorKind\":\"error-answer\"");

        // Only the site no resolver answered for: the one whose resolver said SERVFAIL keeps its line.
        List<String> noAnswer = new ArrayList<>(quick);
        noAnswer.addAll(List.of("--retry-failed", "no-answer"));
        Cli.Run retried = Cli.run(Cli.scanArgs(input, out, server.port(), datasets, noAnswer.toArray(String[]::new)));
        assertThat(retried.exitCode()).as(retried.err()).isZero();
        Map<String, String> after = results(out);
        assertThat(after).hasSize(10);
        assertThat(after.get(silent)).contains("\"status\":\"ok\"");
        assertThat(after.get(erring)).isEqualTo(first.get(erring));

        // Then the rest, named in either case, with the option's value attached.
        List<String> rest = new ArrayList<>(quick);
        rest.add("--retry-failed=Error-Answer,no-such-domain");
        Cli.Run again = Cli.run(Cli.scanArgs(input, out, server.port(), datasets, rest.toArray(String[]::new)));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(results(out).values()).allSatisfy(line -> assertThat(line).contains("\"status\":\"ok\""));
    }

    @Test
    void anUnknownRetryKindIsAUsageErrorListingTheKinds() throws Exception {
        Path out = dir.resolve("unknown-kind");
        Cli.Run run = Cli.run(scanArgs(input(), out, "--retry-failed", "timeout"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip())
                .isEqualTo("chokepoint: --retry-failed: unknown kind 'timeout' (expected all, no-such-domain,"
                        + " error-answer, no-answer, no-zone, other)");
        assertThat(out).doesNotExist();
    }

    @Test
    void aScanWhoseResolverStopsAnsweringStopsAndRetryFailedThenCompletesIt() throws Exception {
        // A list long enough that the scan is still taking sites when the breaker trips.
        GeneratedWorld large = GeneratedWorld.of(1_000);
        Path input = Files.write(dir.resolve("large.txt"), large.sites());
        Path out = dir.resolve("gone");
        Cli.Run[] stopped = new Cli.Run[1];
        Thread scan;
        try (ZoneServer own = ZoneServer.start(large.zones())) {
            scan = Thread.ofPlatform()
                    .start(() -> stopped[0] = Cli.run(Cli.scanArgs(
                            input, out, own.port(), datasets, "--timeout", "200ms", "--retries", "0", "--qps", "400")));
            Path results = out.resolve(ScanDirectory.RESULTS);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && (!Files.exists(results) || Files.readAllLines(results).size() < 20)) {
                Thread.sleep(20);
            }
        } // the resolver goes away in the middle of the scan
        scan.join(Duration.ofSeconds(120));

        assertThat(stopped[0].exitCode()).as(stopped[0].err()).isEqualTo(ExitCode.USAGE);
        assertThat(stopped[0].err())
                .contains("chokepoint: scan stopped: no resolver answered for the last "
                        + ScanCommand.UNANSWERED_IN_A_ROW + " sites in a row")
                .contains("run the same command again with --retry-failed no-answer");
        assertThat(Files.readAllLines(out.resolve(ScanDirectory.RESULTS)).size())
                .as("stopped long before the end of the list")
                .isLessThan(600);

        try (ZoneServer back = ZoneServer.start(large.zones())) {
            Cli.Run retried = Cli.run(Cli.scanArgs(input, out, back.port(), datasets, "--retry-failed", "no-answer"));

            assertThat(retried.exitCode()).as(retried.err()).isZero();
        }
        Map<String, String> results = results(out);
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(large.sites());
        assertThat(results.values()).allSatisfy(line -> assertThat(line).contains("\"status\":\"ok\""));
    }

    @Test
    void aRunThatReadsAnotherListIntoTheSameDirectoryIsWarnedOf() throws Exception {
        Path out = dir.resolve("two-lists");
        Path first = input();
        Path second = Files.write(dir.resolve("other.txt"), world.sites().subList(0, 5));
        Cli.run(scanArgs(first, out, "--limit", "5"));

        Cli.Run same = Cli.run(scanArgs(first, out, "--limit", "5"));
        Cli.Run other = Cli.run(scanArgs(second, out));

        assertThat(same.err()).doesNotContain("warning");
        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(other.err())
                .contains("chokepoint: warning: " + out + " was last scanned from '" + first + "', this run reads '"
                        + second + "': their results go into one results file and one report");
    }

    @Test
    void aHeapShareOutsideAPercentageIsAUsageError() throws Exception {
        Cli.Run run = Cli.run(scanArgs(input(), dir.resolve("bad-heap"), "--stop-at-heap", "0"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--stop-at-heap must be a percentage above 0 and at most 100, not 0.0");
    }

    @Test
    void scanKilledMidwayResumesWithEverySiteExactlyOnce() throws Exception {
        Path out = dir.resolve("killed");
        Path input = input();
        Process child = startThrottled(input, out, 40);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int before = Files.readAllLines(out.resolve(ScanDirectory.RESULTS)).size();
        assertThat(before).as("killed before it finished").isBetween(40, 299);

        Cli.Run resumed = Cli.run(scanArgs(input, out));

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(results(out).keySet()).containsExactlyInAnyOrderElementsOf(world.sites());
        JsonNode manifest = JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile());
        JsonNode last = manifest.get("runs").get(manifest.get("runs").size() - 1);
        assertThat(last.get("resumed").asLong() + last.get("audited").asLong()).isEqualTo(300);

        Path fresh = dir.resolve("fresh");
        Cli.run(scanArgs(input, fresh, "--qps", "0"));
        assertThat(results(out)).isEqualTo(results(fresh));
        // The resumed scan's report reads every site back, the fresh one's counted them as they came.
        assertThat(Files.readString(out.resolve("report.json")))
                .isEqualTo(Files.readString(fresh.resolve("report.json")));
    }

    @Test
    void aResumedScansProgressCountsOnlyTheSitesLeft() throws Exception {
        Path out = dir.resolve("progress");
        Path input = input();
        Cli.run(scanArgs(input, out, "--limit", "5"));
        List<String> args = new ArrayList<>(scanArgs(input, out, "--limit", "12"));
        args.remove("-q");

        Cli.Run run = Cli.run(args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        // The last progress line (a non-terminal prints one at the end): 7 of the 7 left, not 7 of 12.
        assertThat(run.err()).contains("scan: 7/7 done, 0 failed");
    }

    /** A scan of the first ten sites into {@code out}, with its result lines, for tests that damage them. */
    private record TenScanned(Path out, Path results, List<String> lines, List<String> args) {
        /** The same scan again, as a user resumes it. */
        Cli.Run again() {
            return Cli.run(args);
        }
    }

    private TenScanned scanTen(String name) throws Exception {
        Path out = dir.resolve(name);
        List<String> args = scanArgs(input(), out, "--limit", "10");
        Cli.run(args);
        Path results = out.resolve(ScanDirectory.RESULTS);
        return new TenScanned(out, results, Files.readAllLines(results), args);
    }

    @Test
    void lineTornByACrashIsRepairedAndTheSiteAuditedAgain() throws Exception {
        TenScanned scanned = scanTen("torn");
        List<String> lines = scanned.lines();
        String last = lines.getLast();
        Files.writeString(
                scanned.results(),
                String.join("\n", lines.subList(0, lines.size() - 1)) + "\n" + last.substring(0, last.length() / 2));

        Cli.Run run = scanned.again();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(results(scanned.out())).hasSize(10);
    }

    @Test
    void resultLinesDamagedInTheMiddleAreNamedAndTheirSitesAuditedAgain() throws Exception {
        TenScanned scanned = scanTen("damaged");
        Path out = scanned.out();
        Path results = scanned.results();
        List<String> lines = scanned.lines();
        java.io.ByteArrayOutputStream damaged = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 2) {
                // Half a line, a byte no UTF-8 decoder accepts, and a closing brace.
                damaged.writeBytes(line.substring(0, line.length() / 2).getBytes(StandardCharsets.UTF_8));
                damaged.write(0xFF);
                damaged.writeBytes("}".getBytes(StandardCharsets.UTF_8));
            } else if (i == 5) {
                damaged.writeBytes("{\"domain\": tru}".getBytes(StandardCharsets.UTF_8));
            } else if (i == 7) {
                // Cut short, as a torn last line is, but with lines after it: damaged, not torn.
                damaged.writeBytes(line.substring(0, line.length() / 2).getBytes(StandardCharsets.UTF_8));
            } else {
                damaged.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            }
            damaged.write('\n');
        }
        Files.write(results, damaged.toByteArray());

        Cli.Run run = scanned.again();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains(results + ": 3 lines are not a result (the first is line 3)");
        List<String> readable = Files.readAllLines(results, StandardCharsets.ISO_8859_1).stream()
                .map(dev.chokepoint.export.JsonResults::domainOf)
                .flatMap(java.util.Optional::stream)
                .toList();
        assertThat(readable).hasSize(10).doesNotHaveDuplicates();
        assertThat(JSON.readTree(out.resolve(ScanDirectory.MANIFEST).toFile())
                        .get("runs")
                        .get(1)
                        .get("skippedResultLines")
                        .asLong())
                .isEqualTo(3);
        assertThat(JSON.readTree(out.resolve("report.json").toFile())
                        .get("sites")
                        .asInt())
                .isEqualTo(10);

        // The damaged lines stay in the file: report and simulate read past them and say how many.
        Cli.Run report = Cli.run("report", out.toString());
        Cli.Run simulate = Cli.run("simulate", "--fail", "dns1.test", "--from", out.toString(), "--format", "json");

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.err()).contains(results + ": 3 lines are not a result and left out of the report");
        JsonNode summary = JSON.readTree(simulate.out()).get("summary");
        assertThat(summary.get("sites").asInt()).isEqualTo(10);
        assertThat(summary.get("unreadableLines").asInt()).isEqualTo(3);
        assertThat(summary.get("notAudited").asInt()).isZero();
    }

    @Test
    void aLineThatIsNotUtf8IsOneInvalidLineNotTheEndOfTheScan() throws Exception {
        // A list saved as Latin-1: "bücher.test" has a lone 0xFC byte, which no UTF-8 decoder accepts.
        java.io.ByteArrayOutputStream list = new java.io.ByteArrayOutputStream();
        list.writeBytes((world.sites().get(0) + "\nb").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        list.write(0xFC);
        list.writeBytes(
                ("cher.test\n" + world.sites().get(1) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path input = Files.write(dir.resolve("latin1.txt"), list.toByteArray());
        Path out = dir.resolve("latin1");

        Cli.Run run = Cli.run(scanArgs(input, out));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(results(out)).hasSize(2);
        JsonNode last = firstRun(out);
        assertThat(last.get("invalidLines").asLong()).isEqualTo(1);
        assertThat(last.get("invalid").get(0).get("line").asLong()).isEqualTo(2);
        assertThat(last.get("invalid").get(0).get("reason").asText()).startsWith("not UTF-8");
    }

    @Test
    void reportAndSimulateSkipALineTornInsideACharacter() throws Exception {
        // A scan killed mid-write and not resumed: its last line stops inside a two-byte UTF-8 character.
        Path out = dir.resolve("torn-utf8");
        Cli.run(scanArgs(input(), out, "--limit", "10"));
        Files.write(
                out.resolve(ScanDirectory.RESULTS),
                new byte[] {'{', '"', 't', 'a', 'r', 'g', 'e', 't', '"', ':', '"', 'b', (byte) 0xc3},
                java.nio.file.StandardOpenOption.APPEND);

        Cli.Run report = Cli.run("report", out.toString());
        Cli.Run simulate = Cli.run("simulate", "--fail", "dns1.test", "--from", out.toString(), "--format", "json");

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(JSON.readTree(out.resolve("report.json").toFile())
                        .get("sites")
                        .asInt())
                .isEqualTo(10);
        assertThat(simulate.exitCode()).as(simulate.err()).isZero();
        assertThat(JSON.readTree(simulate.out()).get("summary").get("sites").asInt())
                .isEqualTo(10);
    }

    @Test
    void secondScanIntoALockedDirectoryIsRefused() throws Exception {
        Path out = dir.resolve("locked");
        try (ScanDirectory held = ScanDirectory.open(out)) {
            Cli.Run run = Cli.run(scanArgs(input(), out));

            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("another scan is writing to this directory");
        }
    }

    @Test
    void commentsBlankLinesDuplicatesAndInvalidLinesAreHandledAndReported() throws Exception {
        Path input = Files.writeString(
                dir.resolve("list.txt"),
                String.join(
                        "\n",
                        "# my portfolio",
                        "",
                        world.sites().get(0),
                        "https://" + world.sites().get(1) + "/path",
                        world.sites().get(0).toUpperCase(java.util.Locale.ROOT),
                        "not a domain",
                        "a..b.test",
                        world.sites().get(2)));
        Path out = dir.resolve("list");
        List<String> args = scanArgs(input, out);
        args.remove("-q");
        Cli.Run run = Cli.run(args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("scan: 3 sites audited (0 not audited), 0 already done, 2 invalid lines, 1 duplicate in");
        assertThat(results(out)).hasSize(3);
        JsonNode last = firstRun(out);
        assertThat(last.get("duplicates").asLong()).isEqualTo(1);
        assertThat(last.get("invalidLines").asLong()).isEqualTo(2);
        assertThat(last.get("invalid").get(0).get("line").asLong()).isEqualTo(6);
        assertThat(last.get("invalid").get(1).get("line").asLong()).isEqualTo(7);
    }

    @Test
    void aCruxStyleListOfOriginsAndRankBucketsIsScannedWhole() throws Exception {
        List<String> lines = new ArrayList<>(List.of("origin,rank"));
        for (String site : world.sites().subList(0, 5)) {
            lines.add("https://" + site + ",1000");
        }
        Path out = dir.resolve("crux");

        Cli.Run run = Cli.run(scanArgs(Files.write(dir.resolve("crux.csv"), lines), out));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(results(out).keySet())
                .containsExactlyInAnyOrderElementsOf(world.sites().subList(0, 5));
        assertThat(firstRun(out).get("invalidLines").asLong()).isZero();
    }

    @Test
    void progressCountsOnlyTheTargetsNotHeaderRowsInvalidLinesOrDuplicates() throws Exception {
        List<String> sites = world.sites().subList(0, 3);
        List<String> lines = List.of(
                "\uFEFF# a comment after the byte order mark",
                "origin,rank",
                "https://" + sites.get(0) + ",1000",
                "not a domain,1000",
                "https://" + sites.get(1) + ",1000",
                "origin,rank",
                "https://" + sites.get(0) + ",5000",
                "https://" + sites.get(2) + ",5000");
        List<String> args =
                new ArrayList<>(scanArgs(Files.write(dir.resolve("mixed.csv"), lines), dir.resolve("mixed")));
        args.remove("-q");

        Cli.Run run = Cli.run(args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        // The last progress line (a non-terminal prints one at the end): 3 of 3, not of the 7 data lines.
        assertThat(run.err()).contains("scan: 3/3 done, 0 failed");
    }

    @Test
    void missingInputIsAUsageError() {
        Cli.Run run = Cli.run(scanArgs(dir.resolve("absent.txt"), dir.resolve("x")));

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("absent.txt").contains("no such file");
    }
}
