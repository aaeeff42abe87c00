package dev.chokepoint.assess;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The assessment of one site.
 *
 * @param domain the site's ASCII name
 * @param unicode the site's Unicode name
 * @param zone the apex of the zone that holds it
 * @param services the services it depends on
 * @param findings what a person should know, most severe first
 * @param score the resilience score, 0 to 100
 * @param resources the page's resources with their attribution; empty for a DNS-only audit
 * @param nameservers the site's NS set, sorted
 * @param survival the survival formula of each service, for batch simulation
 */
public record SiteAssessment(
        String domain,
        String unicode,
        String zone,
        List<ServiceAssessment> services,
        List<Finding> findings,
        int score,
        List<dev.chokepoint.graph.WebFacts.Resource> resources,
        List<String> nameservers,
        List<Survival> survival) {
    private static final Comparator<Finding> MOST_SEVERE_FIRST = Comparator.comparing(Finding::severity)
            .reversed()
            .thenComparing(Finding::id)
            .thenComparing(Finding::subject);

    /** Copies the lists, findings sorted most severe first. */
    public SiteAssessment {
        services = List.copyOf(services);
        resources = List.copyOf(resources);
        nameservers = List.copyOf(nameservers);
        survival = List.copyOf(survival);
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(MOST_SEVERE_FIRST);
        findings = Collections.unmodifiableList(sorted);
    }

    /** This assessment as the record a batch analysis needs. */
    public SiteDependencies dependencies() {
        return new SiteDependencies(domain, nameservers, services, survival);
    }

    /** The most severe finding's severity, if there is any finding. */
    public Optional<Severity> worst() {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder());
    }
}
