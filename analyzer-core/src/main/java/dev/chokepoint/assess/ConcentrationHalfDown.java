package dev.chokepoint.assess;

import java.util.List;

/**
 * A small set of components (providers or networks) whose joint failure takes down at least half of the working
 * sites, found greedily by {@link Concentration}.
 *
 * @param workingSites sites that are up with nothing failed; the denominator of "half"
 * @param baselineDown sites already down with nothing failed (a required service never works), left out of the count
 * @param target the working sites that must go down: half of {@code workingSites}, rounded up
 * @param steps the components in the order chosen, each with the working sites down once it and all before it fail
 * @param reached whether the steps take down at least {@code target} sites; false when the search stopped at
 *     {@link Concentration#MAX_HALF_DOWN_PROVIDERS} components, when no remaining component brings any site closer to
 *     going down, or when there are no working sites
 */
public record ConcentrationHalfDown(int workingSites, int baselineDown, int target, List<Step> steps, boolean reached) {
    /** Copies the list. */
    public ConcentrationHalfDown {
        steps = List.copyOf(steps);
    }

    /**
     * One chosen component.
     *
     * @param component a provider id ({@code cloudflare:dns}) or a network ({@code AS13335}) from the survival formulas
     * @param sitesDown working sites down once this and every earlier component fail
     * @param added working sites this component took down that the earlier ones had not
     */
    public record Step(String component, int sitesDown, int added) {}

    /** How many components the set has. */
    public int size() {
        return steps.size();
    }

    /** The components, in the order chosen. */
    public List<String> components() {
        return steps.stream().map(Step::component).toList();
    }

    /** Working sites down when every chosen component fails. */
    public int sitesDown() {
        return steps.isEmpty() ? 0 : steps.getLast().sitesDown();
    }
}
