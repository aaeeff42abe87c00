package dev.chokepoint.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One DNS question: an owner name and a record type, class IN.
 *
 * @param name absolute owner name
 * @param type record type, a {@link Type} constant
 */
public record Question(Name name, int type) {
    /** Canonicalises the name to lower case so that questions differing only in case are one question. */
    public Question {
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException("relative name in question: " + name);
        }
        name = name.canonicalize();
    }

    @Override
    public String toString() {
        return name + " " + Type.string(type);
    }
}
