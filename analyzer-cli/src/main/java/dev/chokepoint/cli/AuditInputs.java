package dev.chokepoint.cli;

import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.snapshot.RecordingResolver;
import dev.chokepoint.snapshot.WarcRecorder;
import dev.chokepoint.snapshot.WarcSnapshot;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.target.InvalidTargetException;
import dev.chokepoint.web.OkHttpWebClient;
import dev.chokepoint.web.WebSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.xbill.DNS.Resolver;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What audits a list of sites, live or from a snapshot: targets, --replay, --record and the collection options. */
final class AuditInputs {
    private static final int PARALLEL_SITES = 8;
    private static final String TARGETS_FIELD = "chokepoint-targets";

    @Parameters(
            paramLabel = "TARGET",
            arity = "0..*",
            description = "Domain names or URLs to audit. With --replay and no TARGET: every site in the snapshot.")
    List<String> targets = new ArrayList<>();

    @Option(
            names = "--record",
            paramLabel = "FILE",
            description = "Write every DNS and HTTP exchange and certificate to this WARC file.")
    Path record;

    @Option(
            names = "--replay",
            paramLabel = "FILE",
            description = "Answer every DNS question and HTTP request from this WARC snapshot, with no network.")
    Path replay;

    @CommandLine.Mixin
    CollectionOptions collection;

    /**
     * The audit results with the datasets they were attributed with.
     *
     * @param results one per target, in order
     * @param datasets the datasets
     * @param web whether the web side was collected
     * @param started when the observations began: the first record's time for a replay
     * @param ended when the observations ended: the last record's time for a replay
     * @param resolvers the DNS resolvers asked (as recorded, for a replay)
     * @param source {@code live}, or the name of the snapshot file or scan directory replayed
     */
    record Collected(
            List<AuditResult> results,
            Datasets datasets,
            boolean web,
            Instant started,
            Instant ended,
            List<String> resolvers,
            String source) {}

    /** Audits every target, live or from the snapshot; bad input throws {@link UsageException}. */
    Collected collect() throws Exception {
        if (replay != null && !collection.resolvers.isEmpty()) {
            throw new UsageException("--replay answers from the snapshot; it cannot be combined with --resolver");
        }
        if (replay != null && record != null) {
            throw new UsageException("--replay and --record cannot be combined");
        }
        // Datasets first: a broken dataset entry is reported before anything else is read.
        Datasets data = datasets();
        WarcSnapshot snapshot = replay == null ? null : WarcSnapshot.read(replay);
        if (targets.isEmpty()) {
            String recorded = snapshot == null ? "" : snapshot.info().getOrDefault(TARGETS_FIELD, "");
            if (recorded.isBlank()) {
                throw new UsageException(
                        snapshot == null
                                ? "no TARGET given (try: chokepoint audit example.com)"
                                : "no TARGET given and " + replay + " does not list its sites");
            }
            targets = List.of(recorded.trim().split("\\s+"));
        }
        return collect(
                data,
                snapshot,
                targets,
                replay == null ? "live" : replay.getFileName().toString());
    }

    /** The datasets named by the collection options, loaded and validated. */
    Datasets datasets() {
        return collection.datasets();
    }

    /** Whether targets, --replay or --record were given: what a command with its own source of sites refuses. */
    boolean anyGiven() {
        return !targets.isEmpty() || replay != null || record != null;
    }

    /**
     * Audits {@code targets} from {@code snapshot}, or live when it is null, with the collection options.
     *
     * @param source what to call the origin of the observations in exports
     */
    Collected collect(Datasets data, WarcSnapshot snapshot, List<String> targets, String source) throws Exception {
        Map<String, String> domains = parseTargets(targets);
        Duration attemptTimeout = collection.parseDuration(collection.timeout);
        if (collection.retries < 0 || collection.retries > 10) {
            throw new UsageException("--retries must be between 0 and 10, not " + collection.retries);
        }

        Resolver resolver;
        WarcRecorder recorder = null;
        List<String> resolvers;
        Instant started = Instant.now();
        if (snapshot != null) {
            resolver = snapshot;
            String recorded = snapshot.info().getOrDefault("chokepoint-resolvers", "");
            resolvers = recorded.isBlank()
                    ? List.of()
                    : java.util.Arrays.stream(
                                    recorded.replaceAll("[\\[\\]]", "").split(",\\s*"))
                            .map(r -> r.substring(r.indexOf('/') + 1))
                            .toList();
        } else {
            DnsSettings settings = new DnsSettings(collection.resolverAddresses(), attemptTimeout, collection.retries);
            resolver = DnsjavaClient.resolverFor(settings);
            resolvers = settings.resolvers().stream()
                    .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                    .toList();
            if (record != null) {
                Map<String, String> info = new LinkedHashMap<>();
                info.put("software", "chokepoint " + new Main.Version().getVersion()[0]);
                info.put(TARGETS_FIELD, String.join(" ", domains.keySet()));
                info.put("chokepoint-resolvers", settings.resolvers().toString());
                recorder = WarcRecorder.create(record, info);
                Optional<InetAddress> server = settings.resolvers().size() == 1
                        ? Optional.of(settings.resolvers().getFirst().getAddress())
                        : Optional.empty();
                resolver = new RecordingResolver(resolver, recorder, server);
            }
        }
        List<AuditResult> results;
        boolean webAudited;
        try {
            // A DNS-only snapshot has nothing to replay the web from: audit what it has.
            webAudited = !(collection.noWeb || (snapshot != null && snapshot.httpExchanges() == 0));
            Optional<WebSettings> web =
                    webAudited ? Optional.of(collection.webSettings(attemptTimeout)) : Optional.empty();
            Auditor auditor = Auditors.create(
                    new DnsjavaClient(resolver),
                    data.attributor(),
                    web,
                    () -> snapshot != null ? snapshot : new OkHttpWebClient(web.orElseThrow()),
                    recorder);
            results = auditAll(auditor, domains);
        } finally {
            if (recorder != null) {
                recorder.close();
            }
        }
        Instant ended = Instant.now();
        if (snapshot != null) {
            // Exports name a replay by when it was observed, so that replaying twice gives the same output.
            started = snapshot.firstRecorded().orElse(Instant.EPOCH);
            ended = snapshot.lastRecorded().orElse(started);
        }
        return new Collected(results, data, webAudited, started, ended, resolvers, source);
    }

    private static List<AuditResult> auditAll(Auditor auditor, Map<String, String> domains) throws Exception {
        List<Future<AuditResult>> futures = new ArrayList<>();
        Semaphore slots = new Semaphore(PARALLEL_SITES);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Map.Entry<String, String> entry : domains.entrySet()) {
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return auditor.audit(entry.getValue(), new DomainName(entry.getKey()));
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<AuditResult> results = new ArrayList<>();
            for (Future<AuditResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
            return results;
        }
    }

    /** Normalises every target first, so that bad input fails before any query; duplicates collapse into one. */
    static Map<String, String> parseTargets(List<String> targets) {
        Map<String, String> domains = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (String target : targets) {
            try {
                domains.putIfAbsent(DomainName.parse(target).ascii(), target);
            } catch (InvalidTargetException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new UsageException(String.join(System.lineSeparator() + "chokepoint: ", errors));
        }
        return domains;
    }
}
