package dev.chokepoint.dns;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * A zone as seen from outside: its apex, its SOA names and its nameservers.
 *
 * @param apex the zone apex
 * @param primary the SOA MNAME (primary master), if the SOA was seen
 * @param responsible the SOA RNAME (the administrator's mailbox as a name), if the SOA was seen
 * @param nameservers the NS set at the apex; empty when it could not be read
 * @param nsStatus the outcome of the NS query, for example {@code answer} or {@code timeout}
 */
public record ZoneInfo(
        Name apex, Optional<Name> primary, Optional<Name> responsible, List<Name> nameservers, String nsStatus) {
    /** Copies the list. */
    public ZoneInfo {
        nameservers = List.copyOf(nameservers);
    }
}
