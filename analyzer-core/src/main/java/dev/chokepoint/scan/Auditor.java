package dev.chokepoint.scan;

import dev.chokepoint.assess.Assessor;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.dns.DnsClient;
import dev.chokepoint.dns.DnsCollector;
import dev.chokepoint.dns.DnsObservation;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.GraphBuilder;
import dev.chokepoint.graph.Node;
import dev.chokepoint.provider.Attributor;
import dev.chokepoint.target.DomainName;
import java.util.Optional;

/** Audits one site end to end: collect its DNS, attribute, build its graph, assess. */
public final class Auditor {
    private final DnsCollector collector;
    private final GraphBuilder builder;
    private final Assessor assessor = new Assessor();

    /** Creates an auditor that asks through {@code client} and attributes with {@code attributor}. */
    public Auditor(DnsClient client, Attributor attributor) {
        this.collector = new DnsCollector(client);
        this.builder = new GraphBuilder(attributor);
    }

    /** Audits {@code domain}; {@code target} is the input as the user gave it, kept for the report. */
    public AuditResult audit(String target, DomainName domain) {
        DnsObservation observation = collector.collect(domain);
        if (observation.error().isPresent()) {
            return AuditResult.failed(target, domain, observation.error().get());
        }
        DependencyGraph graph = builder.build(observation);
        SiteAssessment assessment = assessor.assess(graph, new Node.Site(domain.ascii()));
        return new AuditResult(target, domain, Optional.empty(), Optional.of(assessment), Optional.of(graph));
    }
}
