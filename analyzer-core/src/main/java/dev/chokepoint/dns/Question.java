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

    // equals and hashCode written out: the generated ones go through method handles, which did not inline where the
    // batch cache compares keys (a call site that sees many key types), and showed up in its profile.
    @Override
    public boolean equals(Object other) {
        return other instanceof Question q && type == q.type && name.equals(q.name);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + type;
    }

    @Override
    public String toString() {
        return name + " " + Type.string(type);
    }
}
