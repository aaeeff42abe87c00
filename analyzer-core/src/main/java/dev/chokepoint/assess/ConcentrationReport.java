package dev.chokepoint.assess;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider concentration across a batch of audited sites, as computed by {@link Concentration#compute}.
 *
 * @param sites how many sites were read
 * @param impacts per reported service, in the order of {@link Concentration#REPORTED_SERVICES} (then any other
 *     service, by id), its third-party providers sorted by {@code allImpact} descending, then {@code directSites}
 *     descending, then id
 * @param combined every third-party provider over all services at once, sorted the same way; here the impact counts
 *     only sites that go down (see {@link Concentration})
 * @param markets per reported service, in the same order, its market structure
 * @param halfDown the providers whose joint failure takes down half of the working sites
 * @param sharedFate groups of at least two sites with an identical NS set, largest first, at most
 *     {@link Concentration#MAX_SHARED_FATE_GROUPS}
 */
public record ConcentrationReport(
        int sites,
        Map<String, List<ProviderImpact>> impacts,
        List<ProviderImpact> combined,
        Map<String, MarketStructure> markets,
        ConcentrationHalfDown halfDown,
        List<SharedFate> sharedFate) {
    /** Copies the collections, keeping the order of the maps. */
    public ConcentrationReport {
        Map<String, List<ProviderImpact>> impactsCopy = new LinkedHashMap<>();
        impacts.forEach((service, list) -> impactsCopy.put(service, List.copyOf(list)));
        impacts = Collections.unmodifiableMap(impactsCopy);
        combined = List.copyOf(combined);
        markets = Collections.unmodifiableMap(new LinkedHashMap<>(markets));
        sharedFate = List.copyOf(sharedFate);
    }

    /**
     * The providers of {@code service}, or of all services combined for {@link Concentration#ALL_SERVICES}; empty for
     * a service no site has.
     */
    public List<ProviderImpact> providers(String service) {
        if (Concentration.ALL_SERVICES.equals(service)) {
            return combined;
        }
        return impacts.getOrDefault(service, List.of());
    }
}
