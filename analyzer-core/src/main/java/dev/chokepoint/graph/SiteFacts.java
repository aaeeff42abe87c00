package dev.chokepoint.graph;

import java.util.Optional;

/**
 * What the graph records about a site beyond its edges, for findings that are about absence.
 *
 * @param domain the site's ASCII name
 * @param unicode the site's Unicode name (equal to {@code domain} when not an IDN)
 * @param zone the apex of the zone that holds the site
 * @param nameserverQuery the outcome of the NS query, for example {@code answer}
 * @param caaFoundAt the name holding the relevant CAA records, if any
 * @param nullMx whether the site publishes a null MX (RFC 7505: it takes no mail)
 * @param web what the web collection established, when it ran
 */
public record SiteFacts(
        String domain,
        String unicode,
        String zone,
        String nameserverQuery,
        Optional<String> caaFoundAt,
        boolean nullMx,
        Optional<WebFacts> web) {

    /** These facts with the web collection's. */
    public SiteFacts withWeb(WebFacts facts) {
        return new SiteFacts(domain, unicode, zone, nameserverQuery, caaFoundAt, nullMx, Optional.of(facts));
    }
}
