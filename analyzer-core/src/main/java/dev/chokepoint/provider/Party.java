package dev.chokepoint.provider;

/** Whose infrastructure a host or address is, from the audited site's point of view. */
public enum Party {
    /** The site's own: same registrable domain, same organisation, or a zone whose SOA names the site. */
    FIRST,
    /** A provider named in the datasets. */
    THIRD,
    /** No rule decided; treated like a third party when judging single points of failure. */
    UNKNOWN;

    /** The identifier used in JSON, for example {@code third}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
