package dev.chokepoint.assess;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a set of failures does to one site: down, degraded or up, which services it loses, and through whom. */
public final class Simulation {
    private Simulation() {}

    /** The fate of a site. */
    public enum Fate {
        /** A required service has no working alternative left. */
        DOWN,
        /** Only soft services (certificate authority, mail sending, non-blocking content) are lost. */
        DEGRADED,
        /** Nothing is lost. */
        UP
    }

    /**
     * The failed provider a site depends on, and how.
     *
     * @param service the reported service, for example {@code cdn}
     * @param provider the provider id
     * @param indirect whether it is reached only through another provider
     */
    public record Path(String service, String provider, boolean indirect) {}

    /**
     * One site under the failure.
     *
     * @param domain the site
     * @param fate down, degraded or up
     * @param lost the services with no alternative left, required ones first
     * @param paths the failed providers the site depends on
     */
    public record SiteFate(String domain, Fate fate, List<String> lost, List<Path> paths) {
        /** Copies the lists. */
        public SiteFate {
            lost = List.copyOf(lost);
            paths = List.copyOf(paths);
        }
    }

    /** Simulates {@code failed} (provider ids, organisation ids or ASNs) on {@code site}. */
    public static SiteFate of(SiteDependencies site, Collection<String> failed) {
        List<String> lost = new ArrayList<>();
        site.survival().stream()
                .filter(s -> s.required() && !s.survives(failed))
                .forEach(s -> lost.add(s.service()));
        site.survival().stream()
                .filter(s -> !s.required() && !s.survives(failed))
                .forEach(s -> lost.add(s.service() + " (soft)"));
        Set<Path> paths = new LinkedHashSet<>();
        for (ServiceAssessment service : site.services()) {
            for (ProviderUse use : service.providers()) {
                if (Survival.fails(use.provider().id(), failed)) {
                    paths.add(new Path(service.service().id(), use.provider().id(), use.indirect()));
                }
            }
        }
        for (Survival survival : site.survival()) {
            for (String component : survival.components()) {
                if (component.startsWith("AS") && failed.contains(component)) {
                    paths.add(new Path(survival.service(), component, false));
                }
            }
        }
        Fate fate = site.down(failed) ? Fate.DOWN : site.degraded(failed) ? Fate.DEGRADED : Fate.UP;
        return new SiteFate(site.domain(), fate, lost, new ArrayList<>(paths));
    }
}
