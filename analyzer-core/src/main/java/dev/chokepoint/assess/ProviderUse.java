package dev.chokepoint.assess;

import dev.chokepoint.provider.Evidence;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import java.util.List;

/**
 * A provider that a service of the site relies on.
 *
 * @param provider the provider
 * @param party whose infrastructure it is for this site
 * @param indirect whether it is reached only through another provider (for example the DNS of a DNS provider)
 * @param singlePointOfFailure whether its failure alone takes the service down
 * @param evidence the records and rules behind the attribution
 */
public record ProviderUse(
        Provider provider, Party party, boolean indirect, boolean singlePointOfFailure, List<Evidence> evidence) {
    /** Copies the list. */
    public ProviderUse {
        evidence = List.copyOf(evidence);
    }

    /** Whether the provider is not the site's own; unknown operators count as third parties. */
    public boolean thirdParty() {
        return party != Party.FIRST;
    }
}
