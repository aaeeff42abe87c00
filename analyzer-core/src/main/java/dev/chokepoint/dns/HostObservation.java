package dev.chokepoint.dns;

import java.util.Optional;

/**
 * What DNS says about a host outside the audited site.
 *
 * @param addresses its address lookup, CNAME hops included
 * @param zone the zone that holds it, with its nameservers, when it could be found
 */
public record HostObservation(AddressResolution addresses, Optional<ZoneInfo> zone) {}
