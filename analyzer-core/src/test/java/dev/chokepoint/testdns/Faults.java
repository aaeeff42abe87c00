package dev.chokepoint.testdns;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/** Faults injected per owner name; the latest fault set for a name replaces any earlier one. */
final class Faults {

    /** How the server misbehaves for a name. */
    enum Fault {
        DROP,
        /** Drop the next query only: a lost datagram. */
        DROP_ONCE,
        SERVFAIL,
        REFUSE
    }

    // dnsjava's Name compares case-insensitively, so keys need no extra normalisation.
    private final Map<Name, Fault> byName = new ConcurrentHashMap<>();

    /** Makes queries for exactly this owner name (not its subdomains) fail with the fault. */
    void set(Name name, Fault fault) {
        byName.put(name, fault);
    }

    /** Removes every injected fault. */
    void clear() {
        byName.clear();
    }

    /**
     * The fault to apply to one query for this exact owner name, if any. A {@link Fault#DROP_ONCE} is used up by the
     * query that meets it, which is dropped ({@link Fault#DROP}); of two queries at once, only one meets it.
     */
    Optional<Fault> forName(Name name) {
        Fault fault = byName.get(name);
        if (fault == Fault.DROP_ONCE) {
            return byName.remove(name, Fault.DROP_ONCE) ? Optional.of(Fault.DROP) : Optional.empty();
        }
        return Optional.ofNullable(fault);
    }
}
