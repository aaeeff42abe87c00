package dev.chokepoint.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chokepoint.assess.Concentration;
import dev.chokepoint.assess.ConcentrationReport;
import dev.chokepoint.dns.DnsFailure;
import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.dns.RateLimitedResolver;
import dev.chokepoint.export.JsonResults;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.scan.BatchScan;
import dev.chokepoint.scan.HeapWatch;
import dev.chokepoint.scan.ScanDirectory;
import dev.chokepoint.scan.ScanException;
import dev.chokepoint.scan.TargetList;
import dev.chokepoint.snapshot.RecordingResolver;
import dev.chokepoint.snapshot.SnapshotException;
import dev.chokepoint.snapshot.WarcRecorder;
import dev.chokepoint.web.OkHttpWebClient;
import dev.chokepoint.web.PoliteWebClient;
import dev.chokepoint.web.WebSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.xbill.DNS.Resolver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chokepoint scan}: audits a list of sites into a directory, resumably, then reports concentration. */
@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Audits every site of a list (one domain or URL per line, or a CSV top list: rank,domain, domain,rank as"
                    + " CrUX's origin,rank, or a header row naming the domain column) into DIR:"
                    + " results.ndjson, WARC snapshots and manifest.json. Running it again resumes where it stopped.",
        })
final class ScanCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Sites in a row that fail for want of any DNS answer before a scan stops (or twice the concurrency, when more):
     * well beyond what one slow provider causes, since only the sites in flight share a moment.
     */
    static final int UNANSWERED_IN_A_ROW = 200;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            required = true,
            description = "The target list, or - for standard input.")
    String input;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The scan directory.")
    Path out;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Only the first N valid targets.")
    long limit;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "64",
            description = "Sites in flight at once, each with one DNS query at a time (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--qps",
            paramLabel = "N",
            defaultValue = "200",
            description = "Most DNS queries per second to each resolver; 0 for no limit (default: ${DEFAULT-VALUE}).")
    double qps;

    @Option(names = "--no-report", description = "Do not compute the concentration report at the end.")
    boolean noReport;

    @Option(names = "--no-snapshot", description = "Do not write the WARC snapshot (faster; no replay possible).")
    boolean noSnapshot;

    @Option(
            names = "--retry-failed",
            arity = "0..1",
            fallbackValue = "all",
            split = ",",
            paramLabel = "KIND",
            description = "Resuming, audit again the sites that could not be audited (their results are taken out"
                    + " of results.ndjson first). With KINDs, only those whose result says so: no-answer,"
                    + " error-answer, no-such-domain, no-zone, other (any other reason), all (the default).")
    List<String> retryFailed = new ArrayList<>();

    /**
     * The share of the old generation a full collection may leave in use before the scan stops (README, "Memory"):
     * past it the collector would soon run nearly non-stop. Hidden: a knob for tests and for the rare user who knows
     * the heap better; 100 never stops.
     */
    @Option(names = "--stop-at-heap", paramLabel = "PERCENT", defaultValue = "90", hidden = true)
    double stopAtHeap;

    @CommandLine.Mixin
    CollectionOptions collection;

    @CommandLine.Mixin
    VerbosityOptions verbosity;

    @Override
    public Integer call() throws Exception {
        verbosity.configureLogging();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (concurrency < 1 || concurrency > 10_000) {
            throw new UsageException("--concurrency must be between 1 and 10000, not " + concurrency);
        }
        if (qps < 0) {
            throw new UsageException("--qps must not be negative");
        }
        if (!(stopAtHeap > 0 && stopAtHeap <= 100)) {
            throw new UsageException("--stop-at-heap must be a percentage above 0 and at most 100, not " + stopAtHeap);
        }
        if (limit < 0) {
            throw new UsageException("--limit must not be negative");
        }
        Predicate<JsonResults.Head> retry = retrySelection(retryFailed);
        Datasets datasets = collection.datasets();
        Duration attemptTimeout = collection.attemptTimeout();
        DnsSettings dns = new DnsSettings(collection.resolverAddresses(), attemptTimeout, collection.retries);
        checkResolvers(dns, err);
        Optional<WebSettings> web =
                collection.noWeb ? Optional.empty() : Optional.of(collection.webSettings(attemptTimeout));
        long lines = input.equals("-") ? 0 : countLines(Path.of(input));

        // A fresh scan counts each site for the report as its line is written, so the report need not read them all
        // back; one that resumes has sites from earlier runs, which the report reads from the results file.
        Optional<Concentration.Accumulator> concentration = Optional.empty();
        try (BufferedReader reader = open(input);
                ScanDirectory directory = ScanDirectory.open(out, retry)) {
            ScanDirectory.Skipped skipped = directory.skipped();
            if (skipped.lines() > 0) {
                // Damage worth knowing about even with -q: the results file was changed by something other than a scan.
                err.printf(
                        Locale.ROOT,
                        "chokepoint: %s: %d line%s not a result (the first is line %d); %s audited again%n",
                        out.resolve(ScanDirectory.RESULTS),
                        skipped.lines(),
                        skipped.lines() == 1 ? " is" : "s are",
                        skipped.first(),
                        skipped.lines() == 1 ? "its site is" : "their sites are");
            }
            if (directory.retried() > 0 && !verbosity.quiet) {
                err.println("chokepoint: " + TextReport.sites(directory.retried())
                        + " that could not be audited will be audited again (--retry-failed)");
            }
            if (!noReport && directory.previouslyDone() == 0) {
                concentration = Optional.of(Concentration.accumulator());
            }
            Instant started = Instant.now();
            ObjectNode manifest = manifest(directory, datasets, dns, web.isPresent(), started);
            directory.writeManifest(manifest);
            Resolver network = DnsjavaClient.resolverFor(dns, qps);
            Resolver resolver = network;
            WarcRecorder recorder = null;
            if (!noSnapshot) {
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC)
                        .format(started);
                recorder = WarcRecorder.create(
                        out.resolve("snapshot-" + stamp + ".warc.gz"),
                        Map.of("software", new Main.Version().getVersion()[0]));
                resolver = new RecordingResolver(resolver, recorder, Optional.empty());
            }
            // One cache for the whole batch: a provider's nameservers are asked once, not once per site.
            DnsjavaClient client = new DnsjavaClient(resolver, 100_000, 2);
            Auditor auditor = Auditors.create(
                    client,
                    datasets.attributor(),
                    web,
                    () -> new PoliteWebClient(new OkHttpWebClient(web.orElseThrow()), 2),
                    recorder);
            TargetList targets = new TargetList(reader, limit);
            BatchScan.Outcome outcome;
            // A resumed scan's progress runs towards the sites still to do: the rate and ETA are this run's (0, as
            // for stdin, when nothing seems left: no total rather than a wrong one). Header rows, invalid lines and
            // duplicates come off the count of the list's lines as they are read.
            LongSupplier remaining = () -> {
                long listed = lines - targets.passedOver();
                long toDo = lines == 0 ? limit : limit > 0 ? Math.min(listed, limit) : listed;
                return Math.max(0, toDo - directory.previouslyDone());
            };
            Interruption interruption = new Interruption(directory, manifest, err);
            try (Progress progress = Progress.start(remaining, verbosity.quiet, Terminal.isTerminal(), err);
                    HeapWatch heap = HeapWatch.start(stopAtHeap / 100)) {
                // Judged on the last few seconds: a scan held only at its start stops saying so once it is free.
                RateLimitedResolver.Lately lately = new RateLimitedResolver.Lately(network, Duration.ofSeconds(5));
                progress.note(() -> lately.mostlyHeld() ? "held at --qps " + number(qps) : "");
                Optional<Concentration.Accumulator> counted = concentration;
                AtomicLong unanswered = new AtomicLong();
                long unansweredLimit = Math.max(UNANSWERED_IN_A_ROW, 2L * concurrency);
                BatchScan.Listener listener = result -> {
                    progress.finished(result);
                    try {
                        counted.ifPresent(c -> result.assessment().ifPresent(a -> c.add(a.dependencies())));
                    } catch (UncheckedIOException e) {
                        // The counts too many to hold go to temporary files: a full disk stops the run here.
                        throw new ScanException("the concentration report's counts: " + e.getMessage(), e);
                    }
                    boolean silent = result.dnsFailure().orElse(null) == DnsFailure.Kind.NO_ANSWER;
                    if (!silent) {
                        unanswered.set(0);
                    } else if (unanswered.incrementAndGet() == unansweredLimit) {
                        throw new ScanException(resolversGoneSilent(dns, unansweredLimit), null);
                    }
                    heap.exceeded().ifPresent(full -> {
                        throw new ScanException(heapFull(directory, full), null);
                    });
                };
                outcome = BatchScan.run(targets, directory, auditor, concurrency, listener, evidence(recorder));
            } catch (RuntimeException e) {
                // Results, snapshot or heap (a ScanException), or a bug after a site's audit (its line, the report's
                // counts): the run stops where it is, and the manifest says so before the error.
                interruption.settle();
                lastRun(manifest).put("reason", e instanceof ScanException ? e.getMessage() : "internal error: " + e);
                endRun(directory, manifest, "stopped");
                throw e;
            } finally {
                interruption.settle();
                if (recorder != null) {
                    recorder.close();
                }
            }
            ObjectNode run = lastRun(manifest);
            run.put("ended", outcome.ended().toString());
            run.put("status", "complete");
            run.put("audited", outcome.audited());
            run.put("failed", outcome.failed());
            run.put("resumed", outcome.resumed());
            run.put("duplicates", targets.duplicates());
            run.put("invalidLines", targets.invalidCount());
            ArrayNode invalid = run.putArray("invalid");
            targets.invalid()
                    .forEach(i -> invalid.addObject().put("line", i.line()).put("reason", i.reason()));
            run.put("dnsQueries", client.queriesSent());
            // Of the queries, those that waited for the --qps ceiling: most of them, and the ceiling set the pace.
            RateLimitedResolver.Held held = RateLimitedResolver.held(network);
            run.put("queriesHeldByQps", held.held());
            double seconds = Math.max(
                    0.001, Duration.between(outcome.started(), outcome.ended()).toMillis() / 1000.0);
            run.put("seconds", seconds);
            run.put("sitesPerSecond", outcome.audited() / seconds);
            run.put("queriesPerSecond", client.queriesSent() / seconds);
            manifest.put("status", "complete");
            directory.writeManifest(manifest);
            if (!verbosity.quiet) {
                long queries = client.queriesSent();
                stdout.printf(
                        Locale.ROOT,
                        "scan: %s audited (%d not audited), %d already done, %s, %s in %.1f s; %d DNS %s (%.0f/s)."
                                + " Results in %s%n",
                        TextReport.sites(outcome.audited()),
                        outcome.failed(),
                        outcome.resumed(),
                        TextReport.count(targets.invalidCount(), "invalid line"),
                        TextReport.count(targets.duplicates(), "duplicate"),
                        seconds,
                        queries,
                        queries == 1 ? "query" : "queries",
                        queries / seconds,
                        out.resolve(ScanDirectory.RESULTS));
                if (held.mostly()) {
                    stdout.printf(
                            Locale.ROOT,
                            "scan: most queries waited for the --qps ceiling of %s a second to each resolver, which"
                                    + " set the pace; a resolver of your own can take more (--qps 0 for no limit).%n",
                            number(qps));
                }
                targets.invalid().stream()
                        .limit(10)
                        .forEach(i -> err.println("chokepoint: " + input + ":" + i.line() + ": " + i.reason()));
            }
            if (noReport) {
                return ExitCode.OK;
            }
        }
        // The lock is released: the report reads the finished results if it must.
        ConcentrationReport report;
        try {
            if (concentration.isPresent()) {
                report = concentration.get().report(() -> ReportCommand.sites(out));
            } else {
                // A resumed scan reads every result again (a million sites: over a minute): say how far it is.
                report = ReportCommand.computeShowingProgress(out, verbosity.quiet, err)
                        .report();
            }
        } catch (UncheckedIOException e) {
            throw ReportCommand.failed(out, e);
        }
        List<Path> written = ReportCommand.write(out, report, 10, false);
        if (!verbosity.quiet) {
            stdout.println();
            ReportCommand.print(report, stdout, Terminal.ansi("auto"), 10, written);
        }
        return ExitCode.OK;
    }

    /**
     * Refuses to start when no resolver answers a test question, before anything is written; names those that do
     * not when others do.
     */
    private static void checkResolvers(DnsSettings dns, PrintWriter err) {
        List<InetSocketAddress> silent = DnsjavaClient.silentResolvers(dns);
        if (silent.size() == dns.resolvers().size()) {
            throw new UsageException("--resolver "
                    + addresses(silent)
                    + ": no answer to a test question (. SOA) in " + (dns.retries() + 1)
                    + (dns.retries() == 0 ? " attempt" : " attempts") + " of "
                    + dns.timeout().toMillis() + " ms"
                    + (silent.size() > 1 ? " each" : "") + ": check the address and the network; nothing was scanned");
        }
        silent.forEach(r -> err.println("chokepoint: warning: resolver " + address(r)
                + " did not answer a test question (. SOA); the scan uses the others first"));
    }

    private static String address(InetSocketAddress resolver) {
        return resolver.getAddress().getHostAddress() + ":" + resolver.getPort();
    }

    /** Resolvers as {@code --resolver} takes them, comma-separated. */
    private static String addresses(List<InetSocketAddress> resolvers) {
        return String.join(",", resolvers.stream().map(ScanCommand::address).toList());
    }

    /** This run's entry in the manifest: the last. */
    private static ObjectNode lastRun(ObjectNode manifest) {
        return (ObjectNode)
                manifest.withArray("runs").get(manifest.withArray("runs").size() - 1);
    }

    /**
     * Records in the manifest that this run ended before its list did ({@code status} "interrupted" or "stopped"),
     * with the lines it wrote, and returns their number. A manifest that cannot be written is let go: the results are
     * what matters (and an unwritable directory is the likely reason for stopping, which the error says).
     */
    private static long endRun(ScanDirectory directory, ObjectNode manifest, String status) {
        long written = directory.written();
        ObjectNode run = lastRun(manifest);
        run.put("ended", Instant.now().toString());
        run.put("status", status);
        run.put("resultLines", written);
        manifest.put("status", status);
        try {
            directory.writeManifest(manifest);
        } catch (ScanException e) {
            // See above.
        }
        return written;
    }

    /** {@code value} without a fraction when it has none: 200, 0.5. */
    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * The error of a scan whose resolvers stopped answering: so many sites in a row failing for want of any answer is
     * the resolver (down, or rate-limiting us), not the sites, and going on would record the rest of the list as
     * not audited.
     */
    private static String resolversGoneSilent(DnsSettings dns, long sites) {
        return "scan stopped: no resolver answered for the last " + sites + " sites in a row (--resolver "
                + addresses(dns.resolvers())
                + " down, or limiting us?): check it, then run the same command again with --retry-failed no-answer"
                + " to audit those sites again";
    }

    /** The error of a scan stopped for want of heap: what was full, what is kept, how to go on. */
    private static String heapFull(ScanDirectory directory, String full) {
        long limit = HeapWatch.limitMb();
        return "scan stopped before the Java heap limit of " + limit + " MB slows it to a crawl (" + full + "; "
                + directory.path().resolve(ScanDirectory.RESULTS) + " has every site done so far): run the same"
                + " command again with a larger heap to resume, for example CHOKEPOINT_JAVA_OPTS=-Xmx2g (the launcher"
                + " sizes it to the list for --input FILE)";
    }

    /**
     * Marks the run interrupted in the manifest, and says how to resume, when a signal (Ctrl-C, {@code kill}) stops
     * the JVM before the scan ends; the JVM then exits with 128 + the signal's number (130, 143). What was written
     * stays: a line torn by the exit is cut when the scan resumes. {@code kill -9} runs no hook and leaves the run
     * marked running.
     */
    private static final class Interruption {
        private final AtomicBoolean settled = new AtomicBoolean();
        private final Thread hook;

        Interruption(ScanDirectory directory, ObjectNode manifest, PrintWriter err) {
            hook = new Thread(
                    () -> {
                        if (!settled.compareAndSet(false, true)) {
                            return;
                        }
                        long written = endRun(directory, manifest, "interrupted");
                        err.println();
                        err.println("chokepoint: scan interrupted: " + written + " results written by this run, "
                                + (directory.previouslyDone() + written) + " in all; run the same command again to"
                                + " resume");
                        err.flush();
                    },
                    "scan-interrupted");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /** The scan ended by itself: the hook is not needed any more (unless a signal got there first). */
        void settle() {
            if (settled.compareAndSet(false, true)) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is shutting down already.
                }
            }
        }
    }

    /** A result line waits for its site's exchanges to be in the snapshot; a snapshot that fails stops the scan. */
    private static BatchScan.Evidence evidence(WarcRecorder recorder) {
        if (recorder == null) {
            return BatchScan.Evidence.NONE;
        }
        return () -> {
            try {
                recorder.awaitWritten();
            } catch (SnapshotException e) {
                throw new ScanException(e.getMessage(), e);
            }
        };
    }

    private static long countLines(Path file) {
        try (BufferedReader reader = open(file.toString())) {
            long count = 0;
            long number = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                if (TargetList.isDataLine(++number, line)) {
                    count++;
                }
            }
            return count;
        } catch (NoSuchFileException e) {
            throw new UsageException("--input " + file + ": no such file");
        } catch (IOException | UncheckedIOException e) {
            throw new UsageException("--input " + file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * The list, decoded leniently: a line with bytes that are not UTF-8 (a list saved as Latin-1, say) becomes one
     * invalid line, reported with its number, instead of ending the scan.
     */
    private static BufferedReader open(String input) throws IOException {
        InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input));
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /**
     * Warns when the directory's last run read another list: resuming a scan means running the same command, and a
     * reused --out would mix two lists in one set of results and one report.
     */
    private void warnOfAnotherList(ObjectNode manifest, Path dir) {
        JsonNode runs = manifest.path("runs");
        if (runs.isEmpty()) {
            return;
        }
        String previous = runs.get(runs.size() - 1).path("input").asText(input);
        if (previous.equals(input) || sameFile(previous, input)) {
            return;
        }
        spec.commandLine()
                .getErr()
                .println("chokepoint: warning: " + dir + " was last scanned from '" + previous + "', this run reads '"
                        + input + "': their results go into one results file and one report");
    }

    private static boolean sameFile(String one, String other) {
        try {
            return !one.equals("-") && !other.equals("-") && Files.isSameFile(Path.of(one), Path.of(other));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private ObjectNode manifest(
            ScanDirectory directory, Datasets datasets, DnsSettings dns, boolean web, Instant started) {
        ObjectNode manifest;
        Path file = directory.path().resolve(ScanDirectory.MANIFEST);
        try {
            manifest = Files.isRegularFile(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        } catch (IOException | ClassCastException e) {
            manifest = JSON.createObjectNode();
        }
        warnOfAnotherList(manifest, directory.path());
        manifest.put("tool", new Main.Version().getVersion()[0]);
        manifest.put("status", "running");
        ObjectNode data = manifest.putObject("datasets");
        data.put("providers", datasets.catalog().version());
        data.put("organisations", datasets.catalog().organisationCount());
        data.put("patterns", datasets.catalog().patternCount());
        data.put("entities", datasets.entities().size());
        data.put("asnTable", datasets.asns().version());
        datasets.asns().date().ifPresent(d -> data.put("asnTableDate", d.toString()));
        ObjectNode run = manifest.withArray("runs").addObject();
        run.put("started", started.toString());
        run.put("input", input);
        run.put("resumedFrom", directory.previouslyDone());
        run.put("skippedResultLines", directory.skipped().lines());
        run.put("retriedFailed", directory.retried());
        ArrayNode resolvers = run.putArray("resolvers");
        dns.resolvers().forEach(r -> resolvers.add(address(r)));
        run.put("qpsPerResolver", qps);
        run.put("concurrency", concurrency);
        run.put("web", web);
        run.put("snapshot", !noSnapshot);
        // The heap the run had (the launcher sizes it to the list): what to look at when a long scan ran short.
        run.put("maxHeapMB", HeapWatch.limitMb());
        return manifest;
    }

    /**
     * Which failed results {@code --retry-failed} takes out to audit again: none when it is not given, every one for
     * {@code all}, otherwise those whose {@code errorKind} is listed ({@code other}: failed without one).
     *
     * @throws UsageException naming a kind that is none of these
     */
    static Predicate<JsonResults.Head> retrySelection(List<String> kinds) {
        if (kinds.isEmpty()) {
            return head -> false;
        }
        List<String> known = new ArrayList<>(List.of("all"));
        Arrays.stream(DnsFailure.Kind.values()).map(DnsFailure.Kind::id).forEach(known::add);
        known.add("other");
        Set<String> wanted = new HashSet<>();
        for (String kind : kinds) {
            String id = kind.trim().toLowerCase(Locale.ROOT);
            if (!known.contains(id)) {
                throw new UsageException("--retry-failed: unknown kind '" + kind.trim() + "' (expected "
                        + String.join(", ", known) + ")");
            }
            wanted.add(id);
        }
        if (wanted.contains("all")) {
            return JsonResults.Head::failed;
        }
        return head -> head.failed() && wanted.contains(head.errorKind().orElse("other"));
    }
}
