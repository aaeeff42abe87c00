package dev.chokepoint.provider;

import java.util.List;

/**
 * A company or project that runs services.
 *
 * @param id stable identifier, for example {@code cloudflare}
 * @param name display name
 * @param domains registrable domains that are the organisation's own properties, for the first-party rule
 * @param source where the entry comes from
 */
public record Organisation(String id, String name, List<String> domains, String source) {
    /** Copies the list. */
    public Organisation {
        domains = List.copyOf(domains);
    }
}
