package dev.chokepoint.cli;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.web.ConnectTo;
import dev.chokepoint.web.WebSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.xbill.DNS.ResolverConfig;
import picocli.CommandLine.Option;

/** The options every collecting command shares: how to reach DNS and the web, and which datasets to read. */
final class CollectionOptions {
    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("(\\d{1,10})\\s*(K|KB|M|MB|G|GB|B)?");

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
            description = "Fetch sites that resolve to addresses that are not public: private, loopback, link-local,"
                    + " documentation and other special-purpose blocks (refused by default).")
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

    WebSettings webSettings(Duration requestTimeout) {
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

    List<InetSocketAddress> resolverAddresses() {
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

    /** The datasets, from {@code --datasets} or the installation. */
    Datasets datasets() {
        return Datasets.load(datasets != null ? datasets : Installation.datasets());
    }

    /** The DNS attempt timeout from {@code --timeout}, checked with {@code --retries}. */
    Duration attemptTimeout() {
        if (retries < 0 || retries > 10) {
            throw new UsageException("--retries must be between 0 and 10, not " + retries);
        }
        return parseDuration(timeout);
    }
}
