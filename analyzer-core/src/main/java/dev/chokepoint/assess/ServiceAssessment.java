package dev.chokepoint.assess;

import dev.chokepoint.provider.Service;
import java.util.List;

/**
 * How one service of a site depends on providers.
 *
 * @param service the service
 * @param required whether the site goes down without it ({@code false}: it degrades)
 * @param providers the providers, direct ones first
 * @param critical whether one third-party provider's failure alone removes the service
 * @param redundant whether the alternatives span at least two providers with no single point of failure among them
 */
public record ServiceAssessment(
        Service service, boolean required, List<ProviderUse> providers, boolean critical, boolean redundant) {
    /** Copies the list. */
    public ServiceAssessment {
        providers = List.copyOf(providers);
    }
}
