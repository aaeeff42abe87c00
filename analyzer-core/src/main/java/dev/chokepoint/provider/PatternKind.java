package dev.chokepoint.provider;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which DNS evidence a fingerprint pattern is matched against. */
public enum PatternKind {
    /** A nameserver host name. */
    NS,
    /** A CNAME target. */
    CNAME,
    /** A mail exchanger host name. */
    MX,
    /** A domain in an SPF {@code include:}. */
    SPF,
    /** The autonomous system announcing an address. */
    ASN,
    /** The issuer domain in a CAA {@code issue} or {@code issuewild} record. */
    CAA,
    /** An HTTP response header: {@code name} (present) or {@code name=substring} (its value contains it). */
    HEADER,
    /** A case-insensitive part of a certificate issuer's organisation name. */
    ISSUER;

    /** The identifier used in datasets, for example {@code ns}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with identifier {@code id}, if any. */
    public static Optional<PatternKind> fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
    }

    /** Every identifier, comma separated, for error messages. */
    public static String ids() {
        return Arrays.stream(values()).map(PatternKind::id).collect(Collectors.joining(", "));
    }
}
