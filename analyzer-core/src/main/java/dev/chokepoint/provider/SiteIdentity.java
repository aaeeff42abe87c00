package dev.chokepoint.provider;

import java.util.Optional;

/**
 * What identifies the audited site's own infrastructure.
 *
 * @param domain the audited name
 * @param registrable its registrable domain by the Public Suffix List
 * @param soaPrimary the MNAME of the site's zone SOA, if seen
 * @param soaResponsible the RNAME of the site's zone SOA, if seen
 */
public record SiteIdentity(
        String domain, String registrable, Optional<String> soaPrimary, Optional<String> soaResponsible) {}
