package dev.chokepoint.assess;

import java.util.Comparator;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How much one provider matters across the audited sites for one reported service: how many sites use it and how
 * many it would take down on its own. Sites where the provider is the site's own (first party) are counted in
 * {@code firstPartySites} only, never in the use or impact counts.
 *
 * @param service the reported service ({@code dns}, {@code cdn}, {@code hosting}, {@code mail}, {@code content},
 *     {@code ca}, {@code sending}), or {@link Concentration#ALL_SERVICES} for all services combined
 * @param id the provider id, for example {@code cloudflare:dns}
 * @param name the display name, for example {@code Cloudflare DNS}
 * @param thirdPartySites sites where it appears as a provider named in the datasets
 * @param unknownPartySites sites where it appears with an operator no rule could place
 * @param firstPartySites sites where it is the site's own infrastructure (excluded from every other count)
 * @param directSites sites where it is a direct third-party provider of the service
 * @param allSites sites where it is a third-party provider of the service, directly or through another provider
 * @param directImpact sites for which it is a single point of failure through a direct dependency
 * @param allImpact sites that it takes down on its own, through direct or indirect paths (see
 *     {@link Concentration} for the exact rule); never less than {@code directImpact}
 */
public record ProviderImpact(
        String service,
        String id,
        String name,
        int thirdPartySites,
        int unknownPartySites,
        int firstPartySites,
        int directSites,
        int allSites,
        int directImpact,
        int allImpact) {
    /** The report order: {@code allImpact} descending, then {@code directSites} descending, then id. */
    public static final Comparator<ProviderImpact> BY_IMPACT = Comparator.comparingInt(ProviderImpact::allImpact)
            .reversed()
            .thenComparing(Comparator.comparingInt(ProviderImpact::directSites).reversed())
            .thenComparing(ProviderImpact::id);

    /** Checks the names are present. */
    public ProviderImpact {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    /**
     * How many times more sites the provider takes down than it does through direct dependencies alone:
     * {@code allImpact / directImpact}. Empty when {@code directImpact} is 0, since the ratio is then undefined: the
     * provider is a single point of failure only indirectly ({@code allImpact > 0}) or not at all.
     */
    public OptionalDouble amplification() {
        return directImpact == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) allImpact / directImpact);
    }
}
