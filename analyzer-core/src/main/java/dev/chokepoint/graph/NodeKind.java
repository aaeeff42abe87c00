package dev.chokepoint.graph;

import java.util.Locale;

/** The kinds of vertex in the dependency graph. */
public enum NodeKind {
    /** An audited site. */
    SITE,
    /** A service a site or zone needs. */
    SERVICE,
    /** A host name. */
    HOST,
    /** An IP address. */
    ADDRESS,
    /** An autonomous system. */
    NETWORK,
    /** A provider (organisation and service). */
    PROVIDER;

    /** The identifier used in exports, for example {@code host}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
