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
import dev.chokepoint.web.WebClient;
import dev.chokepoint.web.WebCollector;
import dev.chokepoint.web.WebObservation;
import dev.chokepoint.web.WebSettings;
import java.util.Optional;

/** Audits one site end to end: collect its DNS, attribute, build its graph, assess. */
public final class Auditor {
    private final DnsCollector collector;
    private final GraphBuilder builder;
    private final Assessor assessor = new Assessor();
    private final Optional<WebCollector> web;

    /** Creates a DNS-only auditor that asks through {@code client} and attributes with {@code attributor}. */
    public Auditor(DnsClient client, Attributor attributor) {
        this.collector = new DnsCollector(client);
        this.builder = new GraphBuilder(attributor);
        this.web = Optional.empty();
    }

    /** Creates an auditor that also fetches each site's page through {@code webClient}. */
    public Auditor(DnsClient client, Attributor attributor, WebClient webClient, WebSettings settings) {
        this.collector = new DnsCollector(client);
        this.builder = new GraphBuilder(attributor);
        this.web = Optional.of(new WebCollector(webClient, collector, settings));
    }

    /** Audits {@code domain}; {@code target} is the input as the user gave it, kept for the report. */
    public AuditResult audit(String target, DomainName domain) {
        DnsObservation observation = collector.collect(domain);
        if (observation.failure().isPresent()) {
            return AuditResult.failed(target, domain, observation.failure().get());
        }
        Optional<WebObservation> page = web.map(w -> w.collect(domain, observation));
        DependencyGraph graph = builder.build(observation, page);
        SiteAssessment assessment = assessor.assess(graph, new Node.Site(domain.ascii()));
        return new AuditResult(target, domain, Optional.empty(), Optional.of(assessment), Optional.of(graph));
    }
}
