package dev.chokepoint.web;

import dev.chokepoint.dns.AddressResolution;
import dev.chokepoint.dns.DnsCollector;
import dev.chokepoint.dns.DnsObservation;
import dev.chokepoint.dns.HostObservation;
import dev.chokepoint.dns.Names;
import dev.chokepoint.target.DomainName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Collects what a browser would load for a site: the front page over HTTPS (HTTP only when HTTPS cannot connect),
 * every redirect, the certificate chain, the page's resources, first-party stylesheets, and the DNS of every host
 * outside the site that the page or its certificate names. It decides nothing; assessment does.
 */
public final class WebCollector {
    private static final long MAX_STYLESHEET_BYTES = 1_000_000;

    private final WebClient client;
    private final DnsCollector dns;
    private final WebSettings settings;

    /** Creates a collector that fetches with {@code client} and resolves new hosts through {@code dns}. */
    public WebCollector(WebClient client, DnsCollector dns, WebSettings settings) {
        this.client = client;
        this.dns = dns;
        this.settings = settings;
    }

    /** Collects the web side of {@code site}, using the addresses its DNS observation resolved. */
    public WebObservation collect(DomainName site, DnsObservation observation) {
        Run run = new Run(site, observation, Instant.now().plus(settings.siteTimeout()));
        List<String> names = new ArrayList<>();
        observation.entryPoints().stream()
                .filter(e -> e.status() == AddressResolution.Status.RESOLVED)
                .forEach(e -> names.add(Names.text(e.name())));
        if (names.isEmpty()) {
            names.add(site.ascii());
        }
        Optional<HttpExchange> page = firstAnswer(run, "https", names);
        boolean httpsAnswered = run.anyHttpsAnswered();
        boolean httpsCannotConnect = !run.exchanges.isEmpty()
                && run.exchanges.stream().allMatch(e -> e.error()
                        .filter(m -> m.startsWith(OkHttpWebClient.CANNOT_CONNECT))
                        .isPresent());
        if (page.isEmpty() && httpsCannotConnect) {
            // Only when HTTPS cannot connect at all: a slow or failing HTTPS server is still the site's answer, and a
            // refused private address must not be retried another way.
            page = firstAnswer(run, "http", names);
        }

        List<PageResource> resources = new ArrayList<>();
        if (page.isPresent() && isHtml(page.get())) {
            Optional<String> html = run.decode(page.get());
            if (html.isPresent()) {
                ResourceExtractor.Extraction extraction =
                        ResourceExtractor.extract(html.get(), page.get().url(), settings.maxResources());
                if (extraction.truncated()) {
                    run.limits.add("more than " + settings.maxResources() + " resources on the page; the rest were"
                            + " not examined");
                }
                resources.addAll(extraction.resources());
                resources.addAll(run.stylesheets(extraction.resources()));
            }
        }
        run.resolveOutsideHosts(resources, page);
        return new WebObservation(
                run.exchanges, page, !httpsAnswered, resources, run.limits, List.copyOf(run.refused), run.hosts);
    }

    private static Optional<HttpExchange> firstAnswer(Run run, String scheme, List<String> names) {
        for (String host : names) {
            Optional<HttpExchange> last = run.follow(URI.create(scheme + "://" + host + "/"));
            if (last.isPresent() && last.get().answered()) {
                return last;
            }
        }
        return Optional.empty();
    }

    private static boolean isHtml(HttpExchange exchange) {
        String type = exchange.mediaType();
        return exchange.status() >= 200
                && exchange.status() < 300
                && (type.isEmpty() || type.equals("text/html") || type.equals("application/xhtml+xml"));
    }

    /** The state of one site's collection. */
    private final class Run {
        final DomainName site;
        final DnsObservation observation;
        final Instant deadline;
        final List<HttpExchange> exchanges = new ArrayList<>();
        final List<String> limits = new ArrayList<>();
        final Set<String> refused = new LinkedHashSet<>();
        final Map<String, HostObservation> hosts = new LinkedHashMap<>();
        final Map<String, List<InetAddress>> addresses = new LinkedHashMap<>();

        Run(DomainName site, DnsObservation observation, Instant deadline) {
            this.site = site;
            this.observation = observation;
            this.deadline = deadline;
            for (AddressResolution entry : observation.entryPoints()) {
                addresses.put(Names.text(entry.name()), entry.addresses());
            }
        }

        boolean anyHttpsAnswered() {
            return exchanges.stream().anyMatch(e -> e.url().getScheme().equals("https") && e.answered());
        }

        /** Fetches {@code start} and follows its redirects; returns the last exchange. */
        Optional<HttpExchange> follow(URI start) {
            URI url = start;
            HttpExchange last = null;
            Set<URI> seen = new LinkedHashSet<>();
            for (int hop = 0; hop <= settings.maxRedirects(); hop++) {
                if (!seen.add(url)) {
                    limits.add("redirect loop at " + url);
                    return Optional.ofNullable(last);
                }
                Optional<HttpExchange> exchange = fetch(url, settings.maxBodyBytes());
                if (exchange.isEmpty()) {
                    return Optional.ofNullable(last);
                }
                last = exchange.get();
                if (!last.redirect()) {
                    return Optional.of(last);
                }
                try {
                    URI next = url.resolve(last.header("Location").orElseThrow().trim());
                    if (next.getHost() == null
                            || !(next.getScheme().equals("https")
                                    || next.getScheme().equals("http"))) {
                        return Optional.of(last);
                    }
                    url = next;
                } catch (IllegalArgumentException e) {
                    limits.add("unusable redirect Location at " + url);
                    return Optional.of(last);
                }
            }
            limits.add("more than " + settings.maxRedirects() + " redirects from " + start);
            return Optional.ofNullable(last);
        }

        /** One GET within the site's time budget, to the DNS-collected addresses, refusing private ones. */
        Optional<HttpExchange> fetch(URI url, long maxBytes) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                limits.add("time limit of " + settings.siteTimeout().toSeconds() + " s for the site reached");
                return Optional.empty();
            }
            String host = url.getHost().toLowerCase(Locale.ROOT);
            List<InetAddress> targets = addressesOf(host);
            int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
            List<InetAddress> connectTo = settings.connectTo().stream()
                    .filter(c -> c.host().equals(host) && c.port() == port)
                    .flatMap(c -> c.address().stream())
                    .toList();
            List<InetAddress> effective = connectTo.isEmpty() ? targets : connectTo;
            if (!settings.allowPrivate()) {
                Optional<InetAddress> local =
                        effective.stream().filter(WebCollector::isPrivate).findFirst();
                if (local.isPresent()) {
                    String reason = host + " resolves to " + local.get().getHostAddress()
                            + ", a private, loopback or link-local address (use --allow-private to audit it)";
                    refused.add(reason);
                    HttpExchange failed =
                            HttpExchange.failed(url, Instant.now(), Optional.empty(), "refused: " + reason);
                    exchanges.add(failed);
                    return Optional.of(failed);
                }
            }
            Duration timeout = left.compareTo(settings.requestTimeout()) < 0 ? left : settings.requestTimeout();
            HttpExchange exchange = client.get(url, targets, timeout, maxBytes);
            exchanges.add(exchange);
            if (exchange.bodyTruncated()) {
                limits.add("body of " + url + " cut at " + maxBytes + " bytes (or by the time limit)");
            }
            return Optional.of(exchange);
        }

        List<InetAddress> addressesOf(String host) {
            return addresses.computeIfAbsent(host, h -> {
                try {
                    HostObservation observed = dns.collectHost(Name.fromString(h, Name.root));
                    hosts.putIfAbsent(h, observed);
                    return observed.addresses().addresses();
                } catch (TextParseException e) {
                    return List.of();
                }
            });
        }

        /** Decodes a body: gzip or deflate within the size limit, then the charset the response or page names. */
        Optional<String> decode(HttpExchange exchange) {
            String encoding = exchange.header("Content-Encoding")
                    .orElse("identity")
                    .trim()
                    .toLowerCase(Locale.ROOT);
            byte[] bytes;
            try (InputStream raw = new ByteArrayInputStream(exchange.body());
                    InputStream decoded =
                            switch (encoding) {
                                case "gzip", "x-gzip" -> new GZIPInputStream(raw);
                                case "deflate" -> new InflaterInputStream(raw);
                                case "identity", "" -> raw;
                                default -> null;
                            }) {
                if (decoded == null) {
                    limits.add("content encoding '" + encoding + "' of " + exchange.url() + " is not supported");
                    return Optional.empty();
                }
                bytes = decoded.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBodyBytes() + 1));
            } catch (IOException e) {
                // A body cut at the compressed limit ends mid-stream; what was decoded so far is still the page.
                limits.add("body of " + exchange.url() + " could not be fully decompressed (" + e.getMessage() + ")");
                return Optional.empty();
            }
            if (bytes.length > settings.maxBodyBytes()) {
                limits.add("body of " + exchange.url() + " is larger than " + settings.maxBodyBytes()
                        + " bytes once decompressed; only that much was read");
                bytes = java.util.Arrays.copyOf(bytes, (int) settings.maxBodyBytes());
            }
            return Optional.of(new String(bytes, charset(exchange)));
        }

        /** Fetches first-party stylesheets (bounded in number and size) and adds their imports and fonts. */
        List<PageResource> stylesheets(List<PageResource> resources) {
            List<PageResource> found = new ArrayList<>();
            int fetched = 0;
            for (PageResource resource : resources) {
                if (resource.kind() != ResourceKind.STYLESHEET || !firstParty(resource.host())) {
                    continue;
                }
                if (fetched++ >= settings.maxStylesheets()) {
                    limits.add("more than " + settings.maxStylesheets() + " first-party stylesheets; the rest were"
                            + " not fetched");
                    break;
                }
                Optional<HttpExchange> css = fetch(resource.url(), MAX_STYLESHEET_BYTES);
                if (css.isPresent() && css.get().answered() && css.get().status() == 200) {
                    decode(css.get())
                            .ifPresent(text ->
                                    found.addAll(CssExtractor.extract(text, resource.url(), resource.blocking())));
                }
            }
            return found;
        }

        boolean firstParty(String host) {
            return DomainName.organisationalDomainOf(host)
                    .equals(site.registrable().ascii());
        }

        /** Collects the DNS of every outside host the page and its certificate name, up to the limit. */
        void resolveOutsideHosts(List<PageResource> resources, Optional<HttpExchange> page) {
            Set<String> outside = new LinkedHashSet<>();
            for (PageResource resource : resources) {
                if (!firstParty(resource.host())) {
                    outside.add(resource.host());
                }
            }
            page.flatMap(HttpExchange::tls).flatMap(TlsObservation::leaf).ifPresent(leaf -> {
                outside.addAll(leaf.ocspHosts());
                outside.addAll(leaf.crlHosts());
            });
            int count = 0;
            for (String host : outside) {
                if (hosts.containsKey(host)) {
                    continue;
                }
                if (count++ >= settings.maxThirdPartyHosts()) {
                    limits.add("more than " + settings.maxThirdPartyHosts() + " outside hosts; the DNS of the rest"
                            + " was not collected");
                    break;
                }
                addressesOf(host);
            }
        }
    }

    private static Charset charset(HttpExchange exchange) {
        String type = exchange.header("Content-Type").orElse("");
        for (String parameter : type.split(";")) {
            String p = parameter.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** Whether an address is private, loopback, link-local, unspecified or carrier-grade NAT. */
    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10
    }
}
