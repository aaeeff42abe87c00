package dev.chokepoint.cli;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.Severity;
import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.JsonReport;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.Auditor;
import dev.chokepoint.snapshot.RecordingResolver;
import dev.chokepoint.snapshot.RecordingWebClient;
import dev.chokepoint.snapshot.WarcRecorder;
import dev.chokepoint.snapshot.WarcSnapshot;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.target.InvalidTargetException;
import dev.chokepoint.web.ConnectTo;
import dev.chokepoint.web.OkHttpWebClient;
import dev.chokepoint.web.WebClient;
import dev.chokepoint.web.WebSettings;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chokepoint audit}: audits sites and reports their providers, single points of failure and findings. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Audits each TARGET (a domain name or URL; IDN accepted) and reports the providers its DNS, web and"
                    + " mail depend on, the single points of failure and the findings.",
        })
final class AuditCommand implements Callable<Integer> {
    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");
    private static final int PARALLEL_SITES = 8;
    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("(\\d{1,10})\\s*(K|KB|M|MB|G|GB|B)?");
    private static final String TARGETS_FIELD = "chokepoint-targets";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "TARGET",
            arity = "0..*",
            description = "Domain names or URLs to audit. With --replay and no TARGET: every site in the snapshot.")
    List<String> targets = new ArrayList<>();

    @Option(
            names = "--resolver",
            paramLabel = "HOST[:PORT]",
            description = "Recursive resolver to ask (repeatable; IPv6 as [addr]:port). Default: the system's.")
    List<String> resolvers = new ArrayList<>();

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "3s",
            description = "Wait for one DNS attempt, e.g. 500ms, 3s (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(
            names = "--retries",
            paramLabel = "N",
            defaultValue = "1",
            description = "Further attempts per resolver after a timeout (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--record", paramLabel = "FILE", description = "Write every DNS exchange to this WARC file.")
    Path record;

    @Option(
            names = "--replay",
            paramLabel = "FILE",
            description = "Answer every DNS question from this WARC snapshot, with no network.")
    Path replay;

    @Option(
            names = "--fail-on",
            paramLabel = "SEVERITY",
            defaultValue = "none",
            description = "Exit with 3 when a finding is at or above this severity: none, info, low, medium, high,"
                    + " critical (default: ${DEFAULT-VALUE}).")
    String failOn;

    @Option(names = "--no-web", description = "DNS only: do not fetch the site's page, certificate and resources.")
    boolean noWeb;

    @Option(
            names = "--cacert",
            paramLabel = "FILE",
            description = "Also trust the CA certificates in this PEM file (repeatable).")
    List<Path> caCerts = new ArrayList<>();

    @Option(
            names = "--connect-to",
            paramLabel = "HOST:PORT:ADDR:PORT",
            description = "Connect to ADDR:PORT for requests to HOST:PORT, as curl does (repeatable).")
    List<String> connectTo = new ArrayList<>();

    @Option(
            names = "--allow-private",
            description = "Fetch sites that resolve to private, loopback or link-local addresses (refused by default).")
    boolean allowPrivate;

    @Option(
            names = "--max-body",
            paramLabel = "SIZE",
            defaultValue = "5MB",
            description = "Most bytes read of a response, compressed and decompressed (default: ${DEFAULT-VALUE}).")
    String maxBody;

    @Option(
            names = "--site-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "Most time spent fetching one site (default: ${DEFAULT-VALUE}).")
    String siteTimeout;

    @Option(
            names = "--max-redirects",
            paramLabel = "N",
            defaultValue = "10",
            description = "Most redirects followed (default: ${DEFAULT-VALUE}).")
    int maxRedirects;

    @Option(
            names = "--max-resources",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Most resources examined on a page (default: ${DEFAULT-VALUE}).")
    int maxResources;

    @Option(
            names = "--datasets",
            paramLabel = "DIR",
            description = "Datasets directory (default: the installation's datasets/).")
    Path datasets;

    @Option(
            names = "--color",
            paramLabel = "WHEN",
            defaultValue = "auto",
            description = "Colour: auto (on a terminal, unless NO_COLOR is set), always, never.")
    String color;

    @Option(
            names = {"-v", "--verbose"},
            description = "Log to stderr; -vv for debug detail.")
    boolean[] verbose = new boolean[0];

    @Option(
            names = {"-q", "--quiet"},
            description = "Print nothing but errors; the exit code tells the result.")
    boolean quiet;

    @Option(names = "--stacktrace", description = "Print the stack trace of an internal error.")
    boolean stacktrace;

    private boolean webAudited;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose.length, quiet);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("unknown --format '" + format + "' (expected text or json)");
        }
        Optional<Severity> threshold = parseFailOn(failOn);
        boolean colour = Terminal.colour(color);
        if (replay != null && !resolvers.isEmpty()) {
            throw new UsageException("--replay answers from the snapshot; it cannot be combined with --resolver");
        }
        if (replay != null && record != null) {
            throw new UsageException("--replay and --record cannot be combined");
        }
        Datasets data = Datasets.load(datasets != null ? datasets : Installation.datasets());
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
        Map<String, String> domains = parseTargets(targets);
        Duration attemptTimeout = parseDuration(timeout);
        if (retries < 0 || retries > 10) {
            throw new UsageException("--retries must be between 0 and 10, not " + retries);
        }

        Resolver resolver;
        WarcRecorder recorder = null;
        if (snapshot != null) {
            resolver = snapshot;
        } else {
            DnsSettings settings = new DnsSettings(resolverAddresses(), attemptTimeout, retries);
            resolver = DnsjavaClient.resolverFor(settings);
            if (record != null) {
                Map<String, String> info = new LinkedHashMap<>();
                info.put("software", "chokepoint " + new Main.Version().getVersion()[0]);
                info.put("format", "WARC File Format 1.1");
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
        try {
            Auditor auditor;
            webAudited = !(noWeb || (snapshot != null && snapshot.httpExchanges() == 0));
            if (noWeb || (snapshot != null && snapshot.httpExchanges() == 0)) {
                // A DNS-only snapshot has nothing to replay the web from: audit what it has.
                auditor = new Auditor(new DnsjavaClient(resolver), data.attributor());
            } else {
                WebSettings web = webSettings(attemptTimeout);
                WebClient client = snapshot != null ? snapshot : new OkHttpWebClient(web);
                if (recorder != null) {
                    client = new RecordingWebClient(client, recorder);
                }
                auditor = new Auditor(new DnsjavaClient(resolver), data.attributor(), client, web);
            }
            results = auditAll(auditor, domains);
        } finally {
            if (recorder != null) {
                recorder.close();
            }
        }

        if (!quiet) {
            if (format.equals("json")) {
                JsonReport.write(results, data, out);
            } else {
                new TextReport(out, colour).print(results, data, webAudited);
            }
        }
        out.flush();
        for (AuditResult result : results) {
            result.error().ifPresent(e -> err.println("chokepoint: " + result.target() + ": " + e));
        }
        if (results.stream().anyMatch(r -> !r.ok())) {
            return ExitCode.NOT_AUDITED;
        }
        if (threshold.isPresent()) {
            Severity limit = threshold.get();
            boolean failed = results.stream()
                    .flatMap(r -> r.assessment().stream())
                    .flatMap(a -> a.findings().stream())
                    .map(Finding::severity)
                    .anyMatch(s -> s.compareTo(limit) >= 0);
            if (failed) {
                return ExitCode.FINDINGS;
            }
        }
        return ExitCode.OK;
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

    private WebSettings webSettings(Duration requestTimeout) {
        if (maxRedirects < 0 || maxRedirects > 50) {
            throw new UsageException("--max-redirects must be between 0 and 50, not " + maxRedirects);
        }
        if (maxResources < 1 || maxResources > 100_000) {
            throw new UsageException("--max-resources must be between 1 and 100000, not " + maxResources);
        }
        List<ConnectTo> overrides = new ArrayList<>();
        for (String text : connectTo) {
            try {
                overrides.add(ConnectTo.parse(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid --connect-to " + e.getMessage());
            }
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path file : caCerts) {
            anchors.addAll(readCertificates(file));
        }
        Duration site = parseDuration(siteTimeout, "--site-timeout");
        Duration request = requestTimeout.multipliedBy(3).compareTo(site) < 0 ? requestTimeout.multipliedBy(3) : site;
        return new WebSettings(
                request,
                site,
                parseSize(maxBody),
                maxRedirects,
                maxResources,
                10,
                100,
                allowPrivate,
                anchors,
                overrides);
    }

    static List<X509Certificate> readCertificates(Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new UsageException("--cacert " + file + ": no certificate in the file");
            }
            return certificates;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException("--cacert " + file + ": no such file");
        } catch (java.io.IOException | CertificateException e) {
            throw new UsageException("--cacert " + file + ": not a PEM certificate file (" + e.getMessage() + ")");
        }
    }

    static long parseSize(String value) {
        Matcher m = SIZE.matcher(value.trim().toUpperCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException("invalid --max-body '" + value + "' (expected e.g. 500KB, 5MB)");
        }
        long unit =
                switch (m.group(2) == null ? "" : m.group(2)) {
                    case "K", "KB" -> 1_000;
                    case "M", "MB" -> 1_000_000;
                    case "G", "GB" -> 1_000_000_000;
                    default -> 1;
                };
        long bytes = Long.parseLong(m.group(1)) * unit;
        if (bytes < 1 || bytes > 1_000_000_000) {
            throw new UsageException("--max-body must be between 1 byte and 1GB, not '" + value + "'");
        }
        return bytes;
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

    static Optional<Severity> parseFailOn(String value) {
        if (value.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(Severity.fromId(value)
                .orElseThrow(() -> new UsageException(
                        "unknown --fail-on '" + value + "' (expected none, " + Severity.ids() + ")")));
    }

    static Duration parseDuration(String value) {
        return parseDuration(value, "--timeout");
    }

    static Duration parseDuration(String value, String option) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new UsageException("invalid " + option + " '" + value + "' (expected e.g. 500ms, 3s, 1m)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millis = Math.round(
                switch (unit) {
                    case "ms" -> amount;
                    case "m" -> amount * 60_000;
                    default -> amount * 1000;
                });
        if (millis < 1 || millis > 300_000) {
            throw new UsageException(option + " must be between 1ms and 5m, not '" + value + "'");
        }
        return Duration.ofMillis(millis);
    }

    private List<InetSocketAddress> resolverAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String text : resolvers) {
            addresses.add(parseResolver(text));
        }
        if (addresses.isEmpty()) {
            addresses.addAll(ResolverConfig.getCurrentConfig().servers());
            if (addresses.isEmpty()) {
                throw new UsageException("no system resolver found (no /etc/resolv.conf?); name one with --resolver");
            }
        }
        return addresses;
    }

    static InetSocketAddress parseResolver(String text) {
        HostAndPort hostAndPort;
        try {
            hostAndPort = HostAndPort.fromString(text.trim()).withDefaultPort(53);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid --resolver '" + text + "' (" + e.getMessage() + ")");
        }
        String host = hostAndPort.getHost();
        if (host.isEmpty()) {
            throw new UsageException("invalid --resolver '" + text + "': no host");
        }
        int port = hostAndPort.getPort();
        if (port < 1 || port > 65535) {
            throw new UsageException("invalid --resolver '" + text + "': port out of range");
        }
        try {
            InetAddress address =
                    InetAddresses.isInetAddress(host) ? InetAddresses.forString(host) : InetAddress.getByName(host);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new UsageException("invalid --resolver '" + text + "': unknown host " + host);
        }
    }
}
