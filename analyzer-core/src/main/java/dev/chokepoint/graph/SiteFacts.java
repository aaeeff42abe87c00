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
 */
public record SiteFacts(
        String domain,
        String unicode,
        String zone,
        String nameserverQuery,
        Optional<String> caaFoundAt,
        boolean nullMx) {}
