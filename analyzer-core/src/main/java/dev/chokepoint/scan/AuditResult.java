package dev.chokepoint.scan;

import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.dns.DnsFailure;
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
 * @param dnsFailure the kind of failure when the site's DNS was why it could not be audited, for callers that act on
 *     it (a scan stops when no resolver answers any more)
 */
public record AuditResult(
        String target,
        DomainName domain,
        Optional<String> error,
        Optional<SiteAssessment> assessment,
        Optional<DependencyGraph> graph,
        Optional<DnsFailure.Kind> dnsFailure) {

    /** A result without a DNS failure kind: audited, or not audited for another reason. */
    public AuditResult(
            String target,
            DomainName domain,
            Optional<String> error,
            Optional<SiteAssessment> assessment,
            Optional<DependencyGraph> graph) {
        this(target, domain, error, assessment, graph, Optional.empty());
    }

    /** Whether the site was audited. */
    public boolean ok() {
        return error.isEmpty();
    }

    /** A result for a target that could not be audited. */
    public static AuditResult failed(String target, DomainName domain, String error) {
        return new AuditResult(target, domain, Optional.of(error), Optional.empty(), Optional.empty());
    }

    /** A result for a target whose DNS could not be collected. */
    public static AuditResult failed(String target, DomainName domain, DnsFailure failure) {
        return new AuditResult(
                target,
                domain,
                Optional.of(failure.message()),
                Optional.empty(),
                Optional.empty(),
                Optional.of(failure.kind()));
    }
}
