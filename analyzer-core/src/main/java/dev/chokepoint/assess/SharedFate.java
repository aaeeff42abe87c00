package dev.chokepoint.assess;

import java.util.List;

/**
 * Sites that share one set of nameservers: whatever happens to those servers happens to all of them at once.
 *
 * @param nameservers the shared NS set, lower case without the final dot, sorted
 * @param sites how many audited sites have exactly this NS set
 * @param examples up to {@link Concentration#SHARED_FATE_EXAMPLES} of those sites, sorted
 */
public record SharedFate(List<String> nameservers, int sites, List<String> examples) {
    /** Copies the lists. */
    public SharedFate {
        nameservers = List.copyOf(nameservers);
        examples = List.copyOf(examples);
    }
}
