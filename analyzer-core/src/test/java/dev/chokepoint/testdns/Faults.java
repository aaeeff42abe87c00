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

    /** The fault injected for this exact owner name, if any. */
    Optional<Fault> forName(Name name) {
        return Optional.ofNullable(byName.get(name));
    }
}
