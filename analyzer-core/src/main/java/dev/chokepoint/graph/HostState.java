package dev.chokepoint.graph;

/**
 * How the lookup of a host's addresses ended, as far as the graph needs to know.
 *
 * @param reachability the outcome
 * @param detail the DNS outcome behind a failure, for people
 * @param aliasHops the number of CNAME hops followed from this name
 */
public record HostState(Reachability reachability, String detail, int aliasHops) {
    /** The outcome of looking up a host. */
    public enum Reachability {
        /** Resolved to at least one address. */
        RESOLVED,
        /** Not looked up: nothing is known against it. */
        NOT_LOOKED_UP,
        /** Exists without addresses. */
        NO_ADDRESS,
        /** Does not exist. */
        NXDOMAIN,
        /** A resolver answered with an error. */
        SERVFAIL,
        /** No answer. */
        TIMEOUT,
        /** Its CNAME chain loops. */
        CNAME_LOOP,
        /** Its CNAME chain is too long to follow. */
        CNAME_TOO_LONG;

        /** Whether a host in this state can be used. */
        public boolean usable() {
            return this == RESOLVED || this == NOT_LOOKED_UP;
        }
    }
}
