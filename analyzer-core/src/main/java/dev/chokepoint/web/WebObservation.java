package dev.chokepoint.web;

import dev.chokepoint.dns.HostObservation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the web collection saw for one site: every request in order (redirect hops, fallbacks, stylesheets),
 * the page that was audited, the resources it loads and the DNS of the hosts those resources come from.
 *
 * @param exchanges every HTTP exchange, in the order sent
 * @param page the exchange whose body was audited as the site's page, if any
 * @param httpsUnavailable whether no HTTPS request to the site got a response
 * @param resources the page's external resources, stylesheet imports and fonts included
 * @param limits the limits that were hit, for people (for example {@code body larger than 5000000 bytes})
 * @param refused addresses that were not fetched because they are private, with the reason
 * @param hosts DNS of the hosts outside the site that the page and its certificate name
 */
public record WebObservation(
        List<HttpExchange> exchanges,
        Optional<HttpExchange> page,
        boolean httpsUnavailable,
        List<PageResource> resources,
        List<String> limits,
        List<String> refused,
        Map<String, HostObservation> hosts) {

    /** Copies the collections. */
    public WebObservation {
        exchanges = List.copyOf(exchanges);
        resources = List.copyOf(resources);
        limits = List.copyOf(limits);
        refused = List.copyOf(refused);
        hosts = Map.copyOf(hosts);
    }

    /** The URL of the audited page, if any. */
    public Optional<URI> pageUrl() {
        return page.map(HttpExchange::url);
    }

    /** The TLS observation of the audited page, or of the last HTTPS exchange with the site. */
    public Optional<TlsObservation> tls() {
        if (page.isPresent() && page.get().tls().isPresent()) {
            return page.get().tls();
        }
        return exchanges.reversed().stream().flatMap(e -> e.tls().stream()).findFirst();
    }
}
