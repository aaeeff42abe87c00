package dev.chokepoint.assess;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a service survives failures, as a monotone formula in disjunctive normal form: the service works while at
 * least one of its alternatives has none of its required components failed. A component is a provider id
 * ({@code cloudflare:dns}) or a network ({@code AS13335}). Kept with each scan result so that a scan directory can be
 * simulated and measured without the graph.
 *
 * @param service the service id, for example {@code dns}
 * @param required whether the site goes down without it (false: it degrades)
 * @param alternatives each a sorted set of components that must all work; empty list: the service never works
 * @param truncated whether alternatives were dropped to bound the formula's size (the answer is then approximate)
 */
public record Survival(String service, boolean required, List<Set<String>> alternatives, boolean truncated) {
    /** The most alternatives kept per service. */
    public static final int MAX_ALTERNATIVES = 64;

    /** Copies the alternatives into sorted immutable sets. */
    public Survival {
        List<Set<String>> copy = new ArrayList<>();
        for (Set<String> alternative : alternatives) {
            copy.add(java.util.Collections.unmodifiableSet(new TreeSet<>(alternative)));
        }
        alternatives = List.copyOf(copy);
    }

    /** Whether the service still works when everything in {@code failed} has failed. */
    public boolean survives(Collection<String> failed) {
        for (Set<String> alternative : alternatives) {
            if (intact(alternative, failed)) {
                return true;
            }
        }
        return false;
    }

    /** Whether no component of {@code alternative} fails under {@code failed}. */
    static boolean intact(Collection<String> alternative, Collection<String> failed) {
        for (String component : alternative) {
            if (fails(component, failed)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a component fails under {@code failed}: named itself (a provider id or an ASN), or its organisation
     * ({@code cloudflare} fails {@code cloudflare:dns} and {@code cloudflare:cdn}).
     */
    public static boolean fails(String component, Collection<String> failed) {
        return failed.contains(component) || failed.contains(organisation(component));
    }

    /** The organisation of a provider id ({@code cloudflare} of {@code cloudflare:dns}); any other name itself. */
    public static String organisation(String component) {
        int colon = component.indexOf(':');
        return colon > 0 ? component.substring(0, colon) : component;
    }

    /** Every component named in the formula. */
    public Set<String> components() {
        Set<String> all = new TreeSet<>();
        alternatives.forEach(all::addAll);
        return all;
    }

    /** Whether {@code component} names a network ({@code AS13335}) rather than a provider or an organisation. */
    public static boolean isNetwork(String component) {
        return component.length() > 2
                && component.startsWith("AS")
                && component.chars().skip(2).allMatch(c -> c >= '0' && c <= '9');
    }

    /** Normalises a user's failure name: lower case for providers, upper-case AS prefix for networks. */
    public static String normalise(String name) {
        String trimmed = name.trim();
        if (isNetwork(trimmed.toUpperCase(Locale.ROOT))) {
            return trimmed.toUpperCase(Locale.ROOT);
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }
}
