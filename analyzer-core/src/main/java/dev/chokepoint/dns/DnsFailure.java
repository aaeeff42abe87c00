package dev.chokepoint.dns;

import java.util.Objects;

/**
 * Why the DNS of a site could not be collected: a kind for callers that act on it (a scan stops when no resolver
 * answers any more) and a message for people.
 *
 * @param kind what went wrong
 * @param message the failure in words, naming the question
 */
public record DnsFailure(Kind kind, String message) {
    /** What went wrong while looking for the site's zone. */
    public enum Kind {
        /** The name does not exist (NXDOMAIN). */
        NO_SUCH_DOMAIN,
        /** A resolver answered with an error (SERVFAIL, REFUSED). */
        ERROR_ANSWER,
        /** No resolver answered in time. */
        NO_ANSWER,
        /** No zone was found at or above the name. */
        NO_ZONE;

        /** The kind as JSON and the command line name it: {@code no-such-domain}, {@code no-answer}, .... */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Checks that neither part is null. */
    public DnsFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
