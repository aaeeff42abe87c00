package dev.chokepoint.assess;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How bad a finding is, in increasing order. */
public enum Severity {
    /** Worth knowing; no risk by itself. */
    INFO(0),
    /** A weakness with little impact. */
    LOW(5),
    /** A weakness that degrades the site or weakens a safeguard. */
    MEDIUM(10),
    /** One failure elsewhere takes a required service down. */
    HIGH(20),
    /** The site is broken now, or nothing is left to fail over to. */
    CRITICAL(40);

    private final int penalty;

    Severity(int penalty) {
        this.penalty = penalty;
    }

    /** The points a finding of this severity takes off the resilience score. */
    public int penalty() {
        return penalty;
    }

    /** The identifier used in JSON and on the command line, for example {@code high}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity with identifier {@code id}, case-insensitive. */
    public static Optional<Severity> fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id().equals(id.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** Every identifier, comma separated, for help and error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(Severity::id).collect(Collectors.joining(", "));
    }
}
