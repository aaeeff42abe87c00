package dev.chokepoint.dns;

import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * The addresses of one host name, with every CNAME hop on the way.
 *
 * @param name the name that was looked up
 * @param aliases the CNAME targets in the order they were followed; empty when the name is not an alias
 * @param addresses the A and AAAA addresses of the last name in the chain
 * @param status how the lookup ended
 * @param detail the DNS outcome behind a failure, for people; empty when resolved
 */
public record AddressResolution(
        Name name, List<Name> aliases, List<InetAddress> addresses, Status status, String detail) {

    /** How a lookup of addresses ended. */
    public enum Status {
        /** At least one address. */
        RESOLVED,
        /** The name (or the end of its chain) exists but has no A or AAAA record. */
        NO_ADDRESS,
        /** The name (or the end of its chain) does not exist. */
        NXDOMAIN,
        /** A resolver answered with an error code. */
        SERVFAIL,
        /** No resolver answered. */
        TIMEOUT,
        /** The CNAME chain comes back to a name already in it. */
        CNAME_LOOP,
        /** The CNAME chain is longer than the collector follows. */
        CNAME_TOO_LONG
    }

    /** Copies the lists. */
    public AddressResolution {
        aliases = List.copyOf(aliases);
        addresses = List.copyOf(addresses);
    }

    /** The last name in the chain: the one that holds the addresses. */
    public Name canonicalName() {
        return aliases.isEmpty() ? name : aliases.getLast();
    }
}
