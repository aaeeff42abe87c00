package dev.chokepoint.dns;

import org.xbill.DNS.Name;

/** How host names are written in graphs, reports and exports. */
public final class Names {
    private Names() {}

    /**
     * {@code name} in lower case without its trailing dot ({@code "www.example.com"}); the root is {@code "."}. Built
     * from the canonical (lower-cased) name rather than by lower-casing its text: a scan writes millions of these.
     */
    public static String text(Name name) {
        return name.labels() <= 1 ? "." : name.canonicalize().toString(true);
    }
}
