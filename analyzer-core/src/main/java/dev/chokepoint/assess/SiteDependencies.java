package dev.chokepoint.assess;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What one audited site contributes to a batch analysis: the providers each service uses and the survival formula of
 * each service. Read back from a scan's results, so that concentration and simulation need no graph.
 *
 * @param domain the site's ASCII name
 * @param nameservers the site's NS set, sorted, for shared-fate groups
 * @param services the services with their providers, as in the audit result
 * @param survival the survival formula of each service
 */
public record SiteDependencies(
        String domain, List<String> nameservers, List<ServiceAssessment> services, List<Survival> survival) {
    /** Copies the lists. */
    public SiteDependencies {
        nameservers = List.copyOf(nameservers);
        services = List.copyOf(services);
        survival = List.copyOf(survival);
    }

    /** Whether the site goes down when everything in {@code failed} has failed: a required service has no alternative. */
    public boolean down(Collection<String> failed) {
        return survival.stream().anyMatch(s -> s.required() && !s.survives(failed));
    }

    /** Whether the site degrades (a soft service is lost) without going down. */
    public boolean degraded(Collection<String> failed) {
        return !down(failed) && survival.stream().anyMatch(s -> !s.required() && !s.survives(failed));
    }

    /** The survival formula of {@code service}, if the site has it. */
    public Optional<Survival> survival(String service) {
        return survival.stream().filter(s -> s.service().equals(service)).findFirst();
    }
}
