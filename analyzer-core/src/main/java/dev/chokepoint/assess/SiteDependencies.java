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
        return anyLost(true, failed);
    }

    /** Whether the site degrades (a soft service is lost) without going down. */
    public boolean degraded(Collection<String> failed) {
        return !down(failed) && anyLost(false, failed);
    }

    /** Whether a service that is {@code required} (or not) is lost; a loop, as the report asks it per provider. */
    private boolean anyLost(boolean required, Collection<String> failed) {
        for (Survival s : survival) {
            if (s.required() == required && !s.survives(failed)) {
                return true;
            }
        }
        return false;
    }

    /** The survival formula of {@code service}, if the site has it. */
    public Optional<Survival> survival(String service) {
        for (Survival s : survival) {
            if (s.service().equals(service)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
