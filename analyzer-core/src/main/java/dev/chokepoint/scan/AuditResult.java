package dev.chokepoint.scan;

import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.target.DomainName;
import java.util.Optional;

/**
 * The outcome of auditing one target: an assessment, or the reason there is none.
 *
 * @param target the target as the user gave it
 * @param domain the normalised name
 * @param error why the site could not be audited; empty when it was
 * @param assessment the assessment, when audited
 * @param graph the dependency graph, when audited
 */
public record AuditResult(
        String target,
        DomainName domain,
        Optional<String> error,
        Optional<SiteAssessment> assessment,
        Optional<DependencyGraph> graph) {

    /** Whether the site was audited. */
    public boolean ok() {
        return error.isEmpty();
    }

    /** A result for a target that could not be audited. */
    public static AuditResult failed(String target, DomainName domain, String error) {
        return new AuditResult(target, domain, Optional.of(error), Optional.empty(), Optional.empty());
    }
}
