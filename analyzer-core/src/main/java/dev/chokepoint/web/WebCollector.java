package dev.chokepoint.web;

import com.google.common.net.InetAddresses;
import dev.chokepoint.dns.AddressResolution;
import dev.chokepoint.dns.DnsCollector;
import dev.chokepoint.dns.DnsObservation;
import dev.chokepoint.dns.HostObservation;
import dev.chokepoint.dns.Names;
import dev.chokepoint.target.DomainName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
            if (!settings.allowPrivate() && !client.holds(url)) {
                Optional<String> nonPublic = effective.stream()
                        .flatMap(a -> nonPublicKind(a)
                                .map(kind -> a.getHostAddress() + ", not a public address (" + kind
                                        + "; use --allow-private to audit it)")
                                .stream())
                        .findFirst();
                if (nonPublic.isPresent()) {
                    String reason = host + " resolves to " + nonPublic.get();
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

    /**
     * Special-purpose blocks that no public site is at (IANA's IPv4 and IPv6 Special-Purpose Address Registries, RFC
     * 6890: "globally reachable" false) beyond what {@link InetAddress} itself tells: fetching one either reaches
     * something on the auditor's own network or leaves for wherever the local routing sends it.
     */
    private static final List<Block> SPECIAL_PURPOSE = List.of(
            Block.parse("0.0.0.0/8", "this-network"), // RFC 1122, section 3.2.1.3
            Block.parse("100.64.0.0/10", "shared (carrier-grade NAT)"), // RFC 6598
            Block.parse("192.0.2.0/24", "documentation"), // RFC 5737, TEST-NET-1
            Block.parse("198.18.0.0/15", "benchmarking"), // RFC 2544
            Block.parse("198.51.100.0/24", "documentation"), // RFC 5737, TEST-NET-2
            Block.parse("203.0.113.0/24", "documentation"), // RFC 5737, TEST-NET-3
            Block.parse("240.0.0.0/4", "reserved"), // RFC 1112, section 4; 255.255.255.255 included
            Block.parse("64:ff9b:1::/48", "local-use NAT64"), // RFC 8215
            Block.parse("100::/64", "discard-only"), // RFC 6666
            Block.parse("2001:2::/48", "benchmarking"), // RFC 5180
            Block.parse("2001:db8::/32", "documentation"), // RFC 3849
            Block.parse("3fff::/20", "documentation"), // RFC 9637
            Block.parse("fc00::/7", "unique local")); // RFC 4193

    /** An address block and what the registry calls it. */
    private record Block(byte[] prefix, int length, String kind) {
        static Block parse(String cidr, String kind) {
            int slash = cidr.indexOf('/');
            return new Block(
                    InetAddresses.forString(cidr.substring(0, slash)).getAddress(),
                    Integer.parseInt(cidr.substring(slash + 1)),
                    kind);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = length / 8;
            if (!Arrays.equals(address, 0, whole, prefix, 0, whole)) {
                return false;
            }
            int rest = length % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    /**
     * The kind of {@code address} when no public site can be at it (private, loopback, link-local, unspecified,
     * multicast, or one of the special-purpose blocks above, such as documentation); empty for a public address.
     */
    static Optional<String> nonPublicKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] bytes = address.getAddress();
        return SPECIAL_PURPOSE.stream()
                .filter(block -> block.contains(bytes))
                .map(Block::kind)
                .findFirst();
    }
}
