package dev.chokepoint.export.rdf;

import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.ResourceFactory;

/**
 * The terms of the Chokepoint vocabulary ({@code datasets/vocabulary/chokepoint.ttl}), in the shape Jena's schemagen
 * generates: the namespace and one constant per class, property and instance.
 */
public final class CP {
    /** The namespace of the vocabulary. */
    public static final String NS = "https://w3id.org/chokepoint/vocab#";

    /** The vocabulary (ontology) itself. */
    public static final Resource NAMESPACE = ResourceFactory.createResource(NS);

    /** A site that was audited. */
    public static final Resource Site = resource("Site");
    /** A DNS host name. */
    public static final Resource Host = resource("Host");
    /** An IP address. */
    public static final Resource Address = resource("Address");
    /** An autonomous system. */
    public static final Resource Network = resource("Network");
    /** A company or project that runs services. */
    public static final Resource Organisation = resource("Organisation");
    /** One service of one organisation. */
    public static final Resource Provider = resource("Provider");
    /** A kind of service. */
    public static final Resource Service = resource("Service");
    /** A service a subject needs. */
    public static final Resource ServiceNeed = resource("ServiceNeed");
    /** A resource a site's page loads. */
    public static final Resource PageResource = resource("PageResource");
    /** An edge of a dependency graph. */
    public static final Resource Dependency = resource("Dependency");
    /** What a dependency means. */
    public static final Resource Relation = resource("Relation");
    /** Required or alternative. */
    public static final Resource Requirement = resource("Requirement");
    /** Hard or soft. */
    public static final Resource Strength = resource("Strength");
    /** Whose infrastructure something is. */
    public static final Resource Party = resource("Party");
    /** The record and rule behind an attribution. */
    public static final Resource Evidence = resource("Evidence");
    /** What one run concluded about one site. */
    public static final Resource SiteAssessment = resource("SiteAssessment");
    /** How one service of a site depends on providers. */
    public static final Resource ServiceAssessment = resource("ServiceAssessment");
    /** A provider that one service of a site relies on. */
    public static final Resource ProviderUse = resource("ProviderUse");
    /** Something a person should know about a site. */
    public static final Resource Finding = resource("Finding");
    /** How bad a finding is. */
    public static final Resource Severity = resource("Severity");
    /** One audit or scan run. */
    public static final Resource ScanRun = resource("ScanRun");

    /** A site's canonical ASCII domain. */
    public static final Property domain = property("domain");
    /** A site's Unicode name. */
    public static final Property unicodeName = property("unicodeName");
    /** A host's name. */
    public static final Property hostName = property("hostName");
    /** How a host's lookup ended. */
    public static final Property lookupOutcome = property("lookupOutcome");
    /** An address's textual form. */
    public static final Property ipAddress = property("ipAddress");
    /** A network's AS number. */
    public static final Property asn = property("asn");
    /** A network's holder. */
    public static final Property registrant = property("registrant");
    /** An organisation's identifier in the datasets. */
    public static final Property organisationId = property("organisationId");
    /** Whether an organisation is in the datasets. */
    public static final Property known = property("known");
    /** A provider's identifier, such as {@code cloudflare:dns}. */
    public static final Property providerId = property("providerId");
    /** The service of a provider, need, assessment or finding. */
    public static final Property service = property("service");
    /** The name of what has a need. */
    public static final Property subjectName = property("subjectName");
    /** The source of a dependency. */
    public static final Property dependant = property("dependant");
    /** The target of a dependency. */
    public static final Property dependsOn = property("dependsOn");
    /** What a dependency means. */
    public static final Property relation = property("relation");
    /** Required or alternative. */
    public static final Property requirement = property("requirement");
    /** Hard or soft. */
    public static final Property strength = property("strength");
    /** Whether a dependency or provider use is indirect. */
    public static final Property indirect = property("indirect");
    /** Whose infrastructure something is. */
    public static final Property party = property("party");
    /** The observation behind an attribution. */
    public static final Property record = property("record");
    /** The rule that matched. */
    public static final Property rule = property("rule");
    /** The site an assessment is about. */
    public static final Property site = property("site");
    /** The apex of the site's zone. */
    public static final Property zone = property("zone");
    /** The resilience score. */
    public static final Property score = property("score");
    /** Why a site could not be audited. */
    public static final Property auditError = property("auditError");
    /** A host of the site's NS set. */
    public static final Property nameserver = property("nameserver");
    /** The assessment of one service. */
    public static final Property serviceAssessment = property("serviceAssessment");
    /** A finding of an assessment. */
    public static final Property finding = property("finding");
    /** An edge of the site's dependency graph. */
    public static final Property dependency = property("dependency");
    /** A resource the site's page loads. */
    public static final Property pageResource = property("pageResource");
    /** A page resource's URL. */
    public static final Property url = property("url");
    /** How the page refers to a resource. */
    public static final Property resourceKind = property("resourceKind");
    /** The host a resource is loaded from. */
    public static final Property host = property("host");
    /** Whether the page cannot render without the resource. */
    public static final Property blocking = property("blocking");
    /** Whether the resource is not the site's own. */
    public static final Property thirdParty = property("thirdParty");
    /** Whether the resource has Subresource Integrity. */
    public static final Property integrity = property("integrity");
    /** Whether the resource was inferred from an inline script. */
    public static final Property inferred = property("inferred");
    /** Whether the site goes down without the service. */
    public static final Property required = property("required");
    /** Whether one provider's failure alone removes the service. */
    public static final Property critical = property("critical");
    /** Whether the service is redundant. */
    public static final Property redundant = property("redundant");
    /** A provider the service relies on. */
    public static final Property providerUse = property("providerUse");
    /** The provider used. */
    public static final Property provider = property("provider");
    /** Whether the provider's failure alone takes the service down. */
    public static final Property singlePointOfFailure = property("singlePointOfFailure");
    /** The identifier of the check behind a finding. */
    public static final Property check = property("check");
    /** How bad a finding is. */
    public static final Property severity = property("severity");
    /** What a finding is about. */
    public static final Property findingSubject = property("findingSubject");
    /** The score penalty of a severity. */
    public static final Property penalty = property("penalty");
    /** The version of Chokepoint behind a run. */
    public static final Property toolVersion = property("toolVersion");
    /** The IP-to-ASN table version of a run. */
    public static final Property asnDataset = property("asnDataset");
    /** A resolver a run asked. */
    public static final Property resolver = property("resolver");
    /** The named graph that holds a dataset's triples. */
    public static final Property graph = property("graph");

    /** Authoritative DNS. */
    public static final Resource DNS = resource("DNS");
    /** A site's web front door. */
    public static final Resource Web = resource("Web");
    /** A content delivery network. */
    public static final Resource CDN = resource("CDN");
    /** Hosting. */
    public static final Resource Hosting = resource("Hosting");
    /** Receiving mail. */
    public static final Resource Mail = resource("Mail");
    /** Sending mail. */
    public static final Resource MailSending = resource("MailSending");
    /** A certificate authority. */
    public static final Resource CertificateAuthority = resource("CertificateAuthority");
    /** Third-party page content. */
    public static final Resource PageContent = resource("PageContent");

    /** A site or zone needs a service. */
    public static final Resource Needs = resource("Needs");
    /** A service is served by a host. */
    public static final Resource ServedBy = resource("ServedBy");
    /** A host name is a CNAME of another. */
    public static final Resource AliasOf = resource("AliasOf");
    /** A host name resolves to an address. */
    public static final Resource ResolvesTo = resource("ResolvesTo");
    /** An address is announced by a network. */
    public static final Resource RoutedBy = resource("RoutedBy");
    /** A host or address is operated by a provider. */
    public static final Resource OperatedBy = resource("OperatedBy");
    /** A host name is resolved through another zone's DNS. */
    public static final Resource ResolvedVia = resource("ResolvedVia");

    /** The target is required. */
    public static final Resource RequiredTarget = resource("RequiredTarget");
    /** The target is one alternative among others. */
    public static final Resource AlternativeTarget = resource("AlternativeTarget");
    /** The dependant cannot work without the target. */
    public static final Resource HardDependency = resource("HardDependency");
    /** The dependant degrades without the target. */
    public static final Resource SoftDependency = resource("SoftDependency");

    /** The site's own infrastructure. */
    public static final Resource FirstParty = resource("FirstParty");
    /** A known third party's. */
    public static final Resource ThirdParty = resource("ThirdParty");
    /** Nobody knows whose. */
    public static final Resource UnknownParty = resource("UnknownParty");

    /** Severity info. */
    public static final Resource SeverityInfo = resource("SeverityInfo");
    /** Severity low. */
    public static final Resource SeverityLow = resource("SeverityLow");
    /** Severity medium. */
    public static final Resource SeverityMedium = resource("SeverityMedium");
    /** Severity high. */
    public static final Resource SeverityHigh = resource("SeverityHigh");
    /** Severity critical. */
    public static final Resource SeverityCritical = resource("SeverityCritical");

    private CP() {}

    /** The namespace URI, as schemagen's vocabularies offer it. */
    public static String getURI() {
        return NS;
    }

    private static Resource resource(String local) {
        return ResourceFactory.createResource(NS + local);
    }

    private static Property property(String local) {
        return ResourceFactory.createProperty(NS, local);
    }
}
