package dev.chokepoint.export.rdf;

import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.ProviderUse;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.Severity;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.RunInfo;
import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.HostState;
import dev.chokepoint.graph.Node;
import dev.chokepoint.graph.WebFacts;
import dev.chokepoint.provider.Evidence;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import dev.chokepoint.scan.AuditResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.rdf.model.Literal;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.apache.jena.vocabulary.SchemaDO;
import org.apache.jena.vocabulary.VOID;

/** Turns one batch into RDF: the run's named graph and, in the default graph, the VoID and DCAT description of it. */
final class BatchRdf {
    private final RunInfo run;
    private final Model model = ModelFactory.createDefaultModel();
    private final Resource activity;
    private final List<Runnable> resources = new ArrayList<>();

    private BatchRdf(RunInfo run) {
        this.run = run;
        this.activity = model.createResource(Iris.run(run.id()));
    }

    /** The dataset of {@code batch}. */
    static Dataset of(ExportBatch batch) {
        BatchRdf rdf = new BatchRdf(batch.run());
        rdf.describeRun();
        Set<String> domains = new HashSet<>();
        for (AuditResult result : batch.results()) {
            // Two targets that normalise to one domain (a name and a URL of it) are one site: its IRIs would
            // collide, so the first result (results are sorted by domain, then target) speaks for it.
            if (domains.add(result.domain().ascii())) {
                rdf.describe(result);
            }
        }
        // Page resources last: they link to providers, which any site's assessment may be the one to describe.
        rdf.resources.forEach(Runnable::run);
        Dataset dataset = DatasetFactory.create();
        Model description = dataset.getDefaultModel();
        RdfExport.prefixes(description);
        rdf.describeDataset(description, rdf.model.size());
        RdfExport.prefixes(rdf.model);
        dataset.addNamedModel(rdf.activity.getURI(), rdf.model);
        return dataset;
    }

    private void describeRun() {
        activity.addProperty(RDF.type, CP.ScanRun)
                .addProperty(RDF.type, PROV.Activity)
                .addProperty(RDFS.label, "Chokepoint run " + run.id())
                .addLiteral(PROV.startedAtTime, dateTime(run.started().toString()))
                .addLiteral(PROV.endedAtTime, dateTime(run.ended().toString()))
                .addProperty(CP.toolVersion, run.toolVersion())
                .addProperty(CP.asnDataset, run.asnDataset())
                .addProperty(DCTerms.source, run.source());
        for (String resolver : run.resolvers()) {
            activity.addProperty(CP.resolver, resolver);
        }
    }

    /**
     * The default graph's description of {@code run}'s graph, as {@link #of} writes it, for a graph written elsewhere:
     * with {@code triples} as its size when that is known, without a size otherwise.
     */
    static Model description(RunInfo run, java.util.OptionalLong triples) {
        Model description = ModelFactory.createDefaultModel();
        RdfExport.prefixes(description);
        new BatchRdf(run).describeDataset(description, triples.orElse(-1));
        return description;
    }

    /** Describes the run's graph in {@code description}; {@code triples} is its size, or negative when unknown. */
    private void describeDataset(Model description, long triples) {
        Resource dataset = description
                .createResource(Iris.runDataset(run.id()))
                .addProperty(RDF.type, VOID.Dataset)
                .addProperty(RDF.type, DCAT.Dataset)
                .addProperty(DCTerms.title, "Chokepoint run " + run.id())
                .addLiteral(DCTerms.created, dateTime(run.ended().toString()))
                .addProperty(DCTerms.source, run.source())
                .addProperty(PROV.wasGeneratedBy, description.createResource(activity.getURI()))
                .addProperty(CP.graph, description.createResource(activity.getURI()))
                .addProperty(VOID.vocabulary, description.createResource(CP.NS));
        if (triples >= 0) {
            dataset.addLiteral(VOID.triples, integer(triples));
        }
    }

    private void describe(AuditResult result) {
        String domain = result.domain().ascii();
        Resource assessment = model.createResource(Iris.assessment(run.id(), domain))
                .addProperty(RDF.type, CP.SiteAssessment)
                .addProperty(PROV.wasGeneratedBy, activity);
        if (result.error().isPresent()) {
            Resource site = model.createResource(Iris.site(domain))
                    .addProperty(RDF.type, CP.Site)
                    .addProperty(CP.domain, domain);
            assessment
                    .addProperty(CP.site, site)
                    .addProperty(CP.auditError, result.error().get());
            return;
        }
        SiteAssessment site = result.assessment().orElseThrow();
        Resource siteResource = model.createResource(Iris.site(domain))
                .addProperty(RDF.type, CP.Site)
                .addProperty(CP.domain, domain)
                .addProperty(CP.unicodeName, site.unicode());
        assessment
                .addProperty(CP.site, siteResource)
                .addProperty(CP.zone, site.zone())
                .addLiteral(CP.score, integer(site.score()));
        for (String nameserver : site.nameservers()) {
            assessment.addProperty(CP.nameserver, host(nameserver));
        }
        for (ServiceAssessment service : site.services()) {
            assessment.addProperty(CP.serviceAssessment, service(domain, service));
        }
        for (Finding finding : site.findings()) {
            assessment.addProperty(CP.finding, finding(domain, finding));
        }
        for (WebFacts.Resource resource : site.resources()) {
            resources.add(() -> assessment.addProperty(CP.pageResource, resource(domain, resource)));
        }
        result.graph().ifPresent(graph -> describeGraph(domain, graph, assessment));
    }

    private Resource service(String domain, ServiceAssessment service) {
        String serviceId = service.service().id();
        Resource resource = model.createResource(Iris.serviceAssessment(run.id(), domain, serviceId))
                .addProperty(RDF.type, CP.ServiceAssessment)
                .addProperty(PROV.wasGeneratedBy, activity)
                .addProperty(CP.service, service(service.service()))
                .addLiteral(CP.required, bool(service.required()))
                .addLiteral(CP.critical, bool(service.critical()))
                .addLiteral(CP.redundant, bool(service.redundant()));
        Set<String> keys = new HashSet<>();
        for (ProviderUse use : service.providers()) {
            String key = use.provider().id();
            for (int n = 2; !keys.add(key); n++) {
                key = use.provider().id() + "-" + n;
            }
            Resource useResource = model.createResource(Iris.providerUse(run.id(), domain, serviceId, key))
                    .addProperty(RDF.type, CP.ProviderUse)
                    .addProperty(CP.provider, provider(use.provider()))
                    .addProperty(CP.party, party(use.party()))
                    .addLiteral(CP.indirect, bool(use.indirect()))
                    .addLiteral(CP.singlePointOfFailure, bool(use.singlePointOfFailure()));
            for (Evidence evidence : use.evidence()) {
                useResource.addProperty(PROV.wasDerivedFrom, evidence(evidence));
            }
            resource.addProperty(CP.providerUse, useResource);
        }
        return resource;
    }

    private Resource resource(String domain, WebFacts.Resource resource) {
        Resource described = model.createResource(
                        Iris.pageResource(run.id(), domain, resource.url(), resource.kind(), resource.inferred()))
                .addProperty(RDF.type, CP.PageResource)
                .addProperty(CP.url, resource.url())
                .addProperty(CP.resourceKind, resource.kind())
                .addLiteral(CP.blocking, bool(resource.blocking()))
                .addLiteral(CP.thirdParty, bool(resource.thirdParty()))
                .addLiteral(CP.integrity, bool(resource.integrity()))
                .addLiteral(CP.inferred, bool(resource.inferred()));
        if (!resource.host().isEmpty()) {
            described.addProperty(CP.host, host(resource.host()));
        }
        // Link the provider only where the assessment describes it, so that every link leads somewhere.
        int colon = resource.providerId().lastIndexOf(':');
        if (colon > 0) {
            Resource provider = model.createResource(Iris.provider(
                    resource.providerId().substring(0, colon),
                    resource.providerId().substring(colon + 1)));
            if (model.contains(provider, RDF.type, CP.Provider)) {
                described.addProperty(CP.provider, provider);
            }
        }
        return described;
    }

    private Resource finding(String domain, Finding finding) {
        Resource resource = model.createResource(Iris.finding(
                        run.id(),
                        domain,
                        finding.id(),
                        finding.severity().id(),
                        finding.service(),
                        finding.subject(),
                        finding.message()))
                .addProperty(RDF.type, CP.Finding)
                .addProperty(PROV.wasGeneratedBy, activity)
                .addProperty(CP.check, finding.id())
                .addProperty(CP.severity, severity(finding.severity()))
                .addProperty(CP.findingSubject, finding.subject())
                .addProperty(DCTerms.description, finding.message());
        Service.fromId(finding.service()).ifPresent(s -> resource.addProperty(CP.service, service(s)));
        return resource;
    }

    private void describeGraph(String domain, DependencyGraph graph, Resource assessment) {
        var jgrapht = graph.graph();
        Set<Node> direct = directlyReachable(graph);
        for (Node node : jgrapht.vertexSet()) {
            node(graph, node);
        }
        for (Dependency edge : jgrapht.edgeSet()) {
            Node source = jgrapht.getEdgeSource(edge);
            Node target = jgrapht.getEdgeTarget(edge);
            String relation = edge.relation().name();
            Resource dependency = model.createResource(
                            Iris.dependency(run.id(), domain, source.id(), relation, target.id()))
                    .addProperty(RDF.type, CP.Dependency)
                    .addProperty(PROV.wasGeneratedBy, activity)
                    .addProperty(CP.dependant, node(graph, source))
                    .addProperty(CP.dependsOn, node(graph, target))
                    .addProperty(CP.relation, relation(edge.relation()))
                    .addProperty(
                            CP.requirement,
                            edge.requirement() == Dependency.Requirement.ALL ? CP.RequiredTarget : CP.AlternativeTarget)
                    .addProperty(
                            CP.strength,
                            edge.strength() == Dependency.Strength.HARD ? CP.HardDependency : CP.SoftDependency)
                    .addLiteral(
                            CP.indirect,
                            bool(!direct.contains(source) || edge.relation() == Dependency.Relation.RESOLVED_VIA));
            edge.party().ifPresent(p -> dependency.addProperty(CP.party, party(p)));
            edge.evidence().ifPresent(e -> dependency.addProperty(PROV.wasDerivedFrom, evidence(e)));
            assessment.addProperty(CP.dependency, dependency);
        }
    }

    /** The vertices a site reaches without passing through another zone's DNS: everything else is indirect. */
    private static Set<Node> directlyReachable(DependencyGraph graph) {
        var jgrapht = graph.graph();
        Set<Node> seen = new HashSet<>(graph.sites());
        Deque<Node> queue = new ArrayDeque<>(graph.sites());
        while (!queue.isEmpty()) {
            Node node = queue.removeFirst();
            for (Dependency edge : jgrapht.outgoingEdgesOf(node)) {
                Node target = jgrapht.getEdgeTarget(edge);
                if (edge.relation() != Dependency.Relation.RESOLVED_VIA && seen.add(target)) {
                    queue.addLast(target);
                }
            }
        }
        return seen;
    }

    private Resource node(DependencyGraph graph, Node node) {
        return switch (node) {
            case Node.Site site ->
                model.createResource(Iris.site(site.domain()))
                        .addProperty(RDF.type, CP.Site)
                        .addProperty(CP.domain, site.domain());
            case Node.Need need ->
                model.createResource(Iris.need(need.subject(), need.service().id()))
                        .addProperty(RDF.type, CP.ServiceNeed)
                        .addProperty(CP.subjectName, need.subject())
                        .addProperty(CP.service, service(need.service()));
            case Node.Host host -> {
                Resource resource = host(host.name());
                HostState state = graph.hostStates().get(host);
                if (state != null) {
                    resource.addProperty(
                            CP.lookupOutcome, state.reachability().name().toLowerCase(Locale.ROOT));
                }
                yield resource;
            }
            case Node.Address address ->
                model.createResource(Iris.address(address.address()))
                        .addProperty(RDF.type, CP.Address)
                        .addProperty(CP.ipAddress, address.address());
            case Node.Network network ->
                model.createResource(Iris.network(network.asn()))
                        .addProperty(RDF.type, CP.Network)
                        .addLiteral(CP.asn, integer(network.asn()))
                        .addProperty(CP.registrant, network.organisation())
                        .addProperty(RDFS.label, network.label());
            case Node.Operator operator -> provider(operator.provider());
        };
    }

    private Resource host(String name) {
        return model.createResource(Iris.host(name))
                .addProperty(RDF.type, CP.Host)
                .addProperty(CP.hostName, name);
    }

    private Resource provider(Provider provider) {
        Resource organisation = model.createResource(Iris.organisation(provider.organisationId()))
                .addProperty(RDF.type, CP.Organisation)
                .addProperty(RDF.type, SchemaDO.Organization)
                .addProperty(SchemaDO.name, provider.name())
                .addProperty(CP.organisationId, provider.organisationId())
                .addLiteral(CP.known, bool(provider.known()));
        return model.createResource(Iris.provider(
                        provider.organisationId(), provider.service().id()))
                .addProperty(RDF.type, CP.Provider)
                .addProperty(CP.providerId, provider.id())
                .addProperty(RDFS.label, provider.displayName())
                .addProperty(CP.service, service(provider.service()))
                .addProperty(SchemaDO.provider, organisation);
    }

    private Resource evidence(Evidence evidence) {
        return model.createResource(Iris.evidence(run.id(), evidence.record(), evidence.rule()))
                .addProperty(RDF.type, CP.Evidence)
                .addProperty(PROV.wasGeneratedBy, activity)
                .addProperty(CP.record, evidence.record())
                .addProperty(CP.rule, evidence.rule());
    }

    /** The vocabulary's instance for {@code service}. */
    static Resource service(Service service) {
        return switch (service) {
            case DNS -> CP.DNS;
            case WEB -> CP.Web;
            case CDN -> CP.CDN;
            case HOSTING -> CP.Hosting;
            case MAIL -> CP.Mail;
            case SENDING -> CP.MailSending;
            case CA -> CP.CertificateAuthority;
            case CONTENT -> CP.PageContent;
        };
    }

    /** The vocabulary's instance for {@code severity}. */
    static Resource severity(Severity severity) {
        return switch (severity) {
            case INFO -> CP.SeverityInfo;
            case LOW -> CP.SeverityLow;
            case MEDIUM -> CP.SeverityMedium;
            case HIGH -> CP.SeverityHigh;
            case CRITICAL -> CP.SeverityCritical;
        };
    }

    private static Resource party(Party party) {
        return switch (party) {
            case FIRST -> CP.FirstParty;
            case THIRD -> CP.ThirdParty;
            case UNKNOWN -> CP.UnknownParty;
        };
    }

    private static Resource relation(Dependency.Relation relation) {
        return switch (relation) {
            case NEEDS -> CP.Needs;
            case SERVED_BY -> CP.ServedBy;
            case ALIAS_OF -> CP.AliasOf;
            case RESOLVES_TO -> CP.ResolvesTo;
            case ROUTED_BY -> CP.RoutedBy;
            case OPERATED_BY -> CP.OperatedBy;
            case RESOLVED_VIA -> CP.ResolvedVia;
        };
    }

    /**
     * An xsd:dateTime in canonical form (no trailing zeros in the fraction of a second), so that a store that keeps
     * values rather than lexical forms, as TDB2 does, gives back the very same literal.
     */
    private Literal dateTime(String instant) {
        String canonical = instant.replaceAll("(\\.\\d*?)0+Z$", "$1Z").replace(".Z", "Z");
        return model.createTypedLiteral(canonical, XSDDatatype.XSDdateTime);
    }

    private Literal integer(long value) {
        return model.createTypedLiteral(Long.toString(value), XSDDatatype.XSDinteger);
    }

    private Literal bool(boolean value) {
        return model.createTypedLiteral(Boolean.toString(value), XSDDatatype.XSDboolean);
    }
}
