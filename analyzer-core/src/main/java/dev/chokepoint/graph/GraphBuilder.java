package dev.chokepoint.graph;

import dev.chokepoint.dns.AddressResolution;
import dev.chokepoint.dns.DnsObservation;
import dev.chokepoint.dns.HostObservation;
import dev.chokepoint.dns.Names;
import dev.chokepoint.dns.ZoneInfo;
import dev.chokepoint.graph.Dependency.Relation;
import dev.chokepoint.graph.Dependency.Requirement;
import dev.chokepoint.graph.Dependency.Strength;
import dev.chokepoint.provider.AsnRecord;
import dev.chokepoint.provider.Attribution;
import dev.chokepoint.provider.Attributor;
import dev.chokepoint.provider.Attributor.ZoneSoa;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Pattern;
import dev.chokepoint.provider.PatternKind;
import dev.chokepoint.provider.Service;
import dev.chokepoint.provider.SiteIdentity;
import dev.chokepoint.web.CertificateInfo;
import dev.chokepoint.web.HttpExchange;
import dev.chokepoint.web.PageResource;
import dev.chokepoint.web.ResourceKind;
import dev.chokepoint.web.TlsObservation;
import dev.chokepoint.web.WebObservation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;

/** Builds the dependency graph of one site from its DNS observations and the attribution datasets. Pure. */
public final class GraphBuilder {
    // Compiled once: String.matches and split compile their pattern on every call, per site.
    private static final java.util.regex.Pattern SPF_RECORD = java.util.regex.Pattern.compile("v=spf1(\\s.*)?");
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    private final Attributor attributor;

    /** Creates a builder that attributes with {@code attributor}. */
    public GraphBuilder(Attributor attributor) {
        this.attributor = attributor;
    }

    /** Builds the graph of the observed site from its DNS alone. */
    public DependencyGraph build(DnsObservation observation) {
        return build(observation, Optional.empty());
    }

    /** Builds the graph of the observed site from its DNS and, when collected, its web side. */
    public DependencyGraph build(DnsObservation observation, Optional<WebObservation> web) {
        DependencyGraph graph = new DependencyGraph();
        add(graph, observation, web);
        return graph;
    }

    /** Adds the observed site to {@code graph}, sharing vertices already there. */
    public void add(DependencyGraph graph, DnsObservation observation, Optional<WebObservation> web) {
        String domain = observation.target().ascii();
        Node.Site site = graph.add(new Node.Site(domain));
        ZoneInfo zone = observation.zone().orElse(null);
        graph.facts(
                site,
                new SiteFacts(
                        domain,
                        observation.target().unicode(),
                        zone == null ? "" : Names.text(zone.apex()),
                        zone == null ? "not asked" : zone.nsStatus(),
                        observation.caa().map(c -> Names.text(c.foundAt())),
                        nullMx(observation.mailExchangers()),
                        Optional.empty()));
        if (zone == null) {
            return;
        }
        SiteIdentity identity = new SiteIdentity(
                domain,
                observation.target().registrable().ascii(),
                zone.primary().map(Names::text),
                zone.responsible().map(Names::text));
        Context context = new Context(graph, identity, observation);
        addDns(context, site, zone);
        addWeb(context, site);
        addMail(context, site);
        addSending(context, site);
        addCa(context, site);
        web.ifPresent(w -> addPage(context, site, w));
    }

    /**
     * Adds what the web collection saw: the CDN or host the front page's headers reveal, the certificate's issuer
     * and revocation hosts (soft), and every third-party resource with its own DNS, CDN and hosting (hard when it
     * blocks rendering, soft otherwise).
     */
    private void addPage(Context c, Node.Site site, WebObservation web) {
        Map<String, HostObservation> hosts = web.hosts();
        Set<String> withDns = new java.util.HashSet<>();
        List<String> certificateNames = web.tls()
                .flatMap(TlsObservation::leaf)
                .map(CertificateInfo::names)
                .orElse(List.of());

        Optional<Node.Need> front = c.graph().need(site, Service.WEB);
        if (web.page().isPresent() && front.isPresent()) {
            HttpExchange page = web.page().get();
            Node.Host host = c.graph().add(new Node.Host(page.url().getHost().toLowerCase(Locale.ROOT)));
            if (c.graph().depend(front.get(), host, Dependency.of(Relation.SERVED_BY, Requirement.ALL))
                    && hosts.containsKey(host.name())) {
                addChain(c, host, hosts.get(host.name()).addresses());
                addZone(c, host, hosts.get(host.name()));
                withDns.add(host.name());
            }
            for (Attribution a : attributor.attributeHeaders(
                    c.site(), page.headers(), page.url().toString())) {
                operate(c, host, a);
            }
        }

        Optional<CertificateInfo> leaf = web.tls().flatMap(TlsObservation::leaf);
        if (leaf.isPresent()) {
            Node.Need ca = c.graph().need(site, Service.CA).orElseGet(() -> {
                Node.Need need = c.graph().add(new Node.Need(site.domain(), Service.CA));
                c.graph().depend(site, need, Dependency.of(Relation.NEEDS, Requirement.ALL, Strength.SOFT));
                return need;
            });
            String record =
                    "certificate of " + web.pageUrl().map(u -> u.getHost()).orElse(site.domain()) + " issued by "
                            + leaf.get().issuerOrganisation();
            operate(c, ca, attributor.attributeIssuer(c.site(), leaf.get().issuerOrganisation(), record));
            Set<String> revocation = new LinkedHashSet<>(leaf.get().ocspHosts());
            revocation.addAll(leaf.get().crlHosts());
            for (String name : revocation) {
                Node.Host host = c.graph().add(new Node.Host(name));
                c.graph().depend(ca, host, Dependency.of(Relation.SERVED_BY, Requirement.ALL, Strength.SOFT));
                operate(
                        c,
                        host,
                        attributor.attributeHost(
                                c.site(),
                                PatternKind.CAA,
                                Service.CA,
                                name,
                                "certificate AIA/CRL names " + name,
                                ZoneSoa.none()));
                addHostDns(c, host, hosts, withDns);
            }
        }

        List<WebFacts.Resource> facts = new ArrayList<>();
        List<PageResource> ordered = web.resources().stream()
                .filter(r -> r.kind() != ResourceKind.BASE)
                .sorted((a, b) -> Boolean.compare(b.blocking(), a.blocking()))
                .toList();
        Node.Need content = null;
        for (PageResource resource : ordered) {
            String record = resource.kind().id() + " " + resource.url();
            Attribution attribution = attributor.attributeResource(c.site(), resource.host(), record, certificateNames);
            boolean thirdParty = attribution.party() != Party.FIRST;
            facts.add(new WebFacts.Resource(
                    resource.url().toString(),
                    resource.host(),
                    resource.kind().id(),
                    resource.blocking(),
                    thirdParty,
                    attribution.provider().id(),
                    attribution.provider().displayName(),
                    resource.integrity(),
                    resource.inferred()));
            if (!thirdParty) {
                continue;
            }
            if (content == null) {
                content = c.graph().add(new Node.Need(site.domain(), Service.CONTENT));
                c.graph().depend(site, content, Dependency.of(Relation.NEEDS, Requirement.ALL));
            }
            Node.Host host = c.graph().add(new Node.Host(resource.host()));
            c.graph()
                    .depend(
                            content,
                            host,
                            Dependency.of(
                                    Relation.SERVED_BY,
                                    Requirement.ALL,
                                    resource.blocking() ? Strength.HARD : Strength.SOFT));
            operate(c, host, attribution);
            addHostDns(c, host, hosts, withDns);
        }

        Optional<WebFacts.Certificate> certificate = leaf.map(l -> new WebFacts.Certificate(
                web.tls().isPresent() && web.page().isPresent()
                        ? web.page().get().url().getHost()
                        : site.domain(),
                l.subject(),
                l.issuerOrganisation(),
                l.names(),
                l.notBefore(),
                l.notAfter(),
                web.tls().get().trustError(),
                web.tls().get().hostnameMatches()));
        HttpExchange last = web.page()
                .orElse(web.exchanges().isEmpty() ? null : web.exchanges().getLast());
        SiteFacts siteFacts = c.graph().facts(site).orElseThrow();
        c.graph()
                .facts(
                        site,
                        siteFacts.withWeb(new WebFacts(
                                web.pageUrl().map(Object::toString),
                                web.page().map(HttpExchange::status).orElse(0),
                                web.httpsUnavailable(),
                                certificate,
                                last == null ? java.time.Instant.EPOCH : last.fetchedAt(),
                                web.limits(),
                                web.refused(),
                                facts)));
    }

    private void addHostDns(Context c, Node.Host host, Map<String, HostObservation> hosts, Set<String> done) {
        HostObservation observed = hosts.get(host.name());
        if (observed == null || !done.add(host.name())) {
            return;
        }
        addChain(c, host, observed.addresses());
        addZone(c, host, observed);
    }

    /** A host outside the site resolves through its own zone's DNS: an indirect dependency of the site. */
    private void addZone(Context c, Node.Host host, HostObservation observed) {
        observed.zone()
                .filter(z -> z.nameservers().stream().noneMatch(ns -> c.text(ns).equals(host.name())))
                .ifPresent(z -> addIndirectDns(c, host, z));
    }

    /**
     * What one build shares: the graph, the site, what was observed, the text of each name met so far, and the zones
     * whose nameservers are in the graph already.
     */
    private record Context(
            DependencyGraph graph,
            SiteIdentity site,
            DnsObservation observation,
            Map<Name, String> names,
            Set<ZoneInfo> expanded) {
        Context(DependencyGraph graph, SiteIdentity site, DnsObservation observation) {
            this(graph, site, observation, new java.util.HashMap<>(), new java.util.HashSet<>());
        }

        /** {@link Names#text}, once per name and site: the same nameservers and apexes come up again and again. */
        String text(Name name) {
            return names.computeIfAbsent(name, Names::text);
        }
    }

    private void addDns(Context c, Node.Site site, ZoneInfo zone) {
        Node.Need need = c.graph().add(new Node.Need(site.domain(), Service.DNS));
        c.graph().depend(site, need, Dependency.of(Relation.NEEDS, Requirement.ALL));
        for (Name ns : zone.nameservers()) {
            Node.Host host = c.graph().add(new Node.Host(c.text(ns)));
            c.graph().depend(need, host, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
            Optional<ZoneInfo> hostZone = zoneOf(c.observation(), ns, zone);
            ZoneSoa soa = hostZone.map(z -> soaOf(c, z)).orElse(ZoneSoa.none());
            String record = c.text(zone.apex()) + " NS " + c.text(ns);
            operate(c, host, attributor.attributeHost(c.site(), PatternKind.NS, Service.DNS, c.text(ns), record, soa));
            AddressResolution resolution = c.observation().nameserverAddresses().get(ns);
            if (resolution != null) {
                c.graph().state(host, state(resolution));
                addAddresses(c, host, resolution, Optional.empty());
            }
            hostZone.filter(z ->
                            !z.apex().equals(zone.apex()) && !z.nameservers().contains(ns))
                    .ifPresent(z -> addIndirectDns(c, host, z));
        }
    }

    /** The zone of a nameserver host: the site's own, or one collected for a host outside it. */
    private static Optional<ZoneInfo> zoneOf(DnsObservation observation, Name host, ZoneInfo siteZone) {
        if (host.subdomain(siteZone.apex())) {
            return Optional.of(siteZone);
        }
        ZoneInfo closest = null;
        for (ZoneInfo zone : observation.nameserverZones().values()) {
            if (host.subdomain(zone.apex())
                    && (closest == null || zone.apex().labels() > closest.apex().labels())) {
                closest = zone;
            }
        }
        return Optional.ofNullable(closest);
    }

    private void addIndirectDns(Context c, Node.Host host, ZoneInfo zone) {
        Node.Need zoneDns = c.graph().add(new Node.Need(c.text(zone.apex()), Service.DNS));
        c.graph().depend(host, zoneDns, Dependency.of(Relation.RESOLVED_VIA, Requirement.ALL));
        if (!c.expanded().add(zone)) {
            // Every nameserver host of a provider's zone leads here: the same zone adds the same vertices and edges
            // (attribution is a function of its inputs), so the first time is the only one that adds anything.
            return;
        }
        for (Name ns : zone.nameservers()) {
            Node.Host server = c.graph().add(new Node.Host(c.text(ns)));
            c.graph().depend(zoneDns, server, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
            String record = c.text(zone.apex()) + " NS " + c.text(ns);
            operate(
                    c,
                    server,
                    attributor.attributeHost(
                            c.site(), PatternKind.NS, Service.DNS, c.text(ns), record, soaOf(c, zone)));
        }
    }

    private void addWeb(Context c, Node.Site site) {
        Node.Need need = null;
        for (AddressResolution entry : c.observation().entryPoints()) {
            boolean unused = (entry.status() == AddressResolution.Status.NXDOMAIN
                            || entry.status() == AddressResolution.Status.NO_ADDRESS)
                    && entry.aliases().isEmpty();
            if (unused) {
                continue; // the name is simply not used for the web; a dangling alias is kept as broken.
            }
            if (need == null) {
                need = c.graph().add(new Node.Need(site.domain(), Service.WEB));
                c.graph().depend(site, need, Dependency.of(Relation.NEEDS, Requirement.ALL));
            }
            Node.Host host = c.graph().add(new Node.Host(c.text(entry.name())));
            c.graph().depend(need, host, Dependency.of(Relation.SERVED_BY, Requirement.ALL));
            addChain(c, host, entry);
        }
    }

    /**
     * Adds a name's CNAME chain (each hop attributed when it points at a known provider) and its addresses, which are
     * attributed through their network only when no hop named a provider.
     */
    private void addChain(Context c, Node.Host host, AddressResolution entry) {
        String from = host.name();
        Node.Host previous = host;
        Optional<Attribution> viaAlias = Optional.empty();
        for (Name alias : entry.aliases()) {
            Node.Host hop = c.graph().add(new Node.Host(c.text(alias)));
            c.graph().depend(previous, hop, Dependency.of(Relation.ALIAS_OF, Requirement.ALL));
            Optional<Attribution> attribution = attributeAlias(c, from, alias);
            attribution.ifPresent(a -> operate(c, hop, a));
            if (viaAlias.isEmpty()) {
                viaAlias = attribution;
            }
            previous = hop;
            from = c.text(alias);
        }
        addAddresses(c, previous, entry, viaAlias.isPresent() ? Optional.empty() : Optional.of(Service.HOSTING));
        // The state of the whole chain belongs to the entry name; the last hop holds the addresses.
        HostState state = state(entry);
        c.graph().state(host, state);
        if (previous != host) {
            c.graph().state(previous, new HostState(state.reachability(), state.detail(), 0));
        }
    }

    /** A CNAME hop to a known CDN or host is attributed to it; first-party and unknown hops are left to the ASN. */
    private Optional<Attribution> attributeAlias(Context c, String from, Name alias) {
        // The pattern says whether the target is a CDN or a host; without one, a provider's own domain means hosting.
        Service service = attributor
                .catalog()
                .match(PatternKind.CNAME, c.text(alias))
                .map(Pattern::service)
                .orElse(Service.HOSTING);
        Attribution a = attributor.attributeHost(
                c.site(), PatternKind.CNAME, service, c.text(alias), from + " CNAME " + c.text(alias), ZoneSoa.none());
        return a.provider().known() ? Optional.of(a) : Optional.empty();
    }

    private void addMail(Context c, Node.Site site) {
        List<DnsObservation.MailExchanger> exchangers = new ArrayList<>();
        for (DnsObservation.MailExchanger mx : c.observation().mailExchangers()) {
            if (!mx.host().equals(Name.root)) {
                exchangers.add(mx);
            }
        }
        if (exchangers.isEmpty()) {
            return;
        }
        Node.Need need = c.graph().add(new Node.Need(site.domain(), Service.MAIL));
        c.graph().depend(site, need, Dependency.of(Relation.NEEDS, Requirement.ALL));
        for (DnsObservation.MailExchanger mx : exchangers) {
            Node.Host host = c.graph().add(new Node.Host(c.text(mx.host())));
            c.graph().depend(need, host, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
            String record = site.domain() + " MX " + mx.preference() + " " + c.text(mx.host());
            operate(
                    c,
                    host,
                    attributor.attributeHost(
                            c.site(), PatternKind.MX, Service.MAIL, c.text(mx.host()), record, ZoneSoa.none()));
            AddressResolution resolution = c.observation().mailAddresses().get(mx.host());
            if (resolution != null) {
                c.graph().state(host, state(resolution));
                addAddresses(c, host, resolution, Optional.empty());
            }
        }
    }

    private void addSending(Context c, Node.Site site) {
        List<String> includes = spfIncludes(c.observation().txt());
        if (includes.isEmpty()) {
            return;
        }
        Node.Need need = c.graph().add(new Node.Need(site.domain(), Service.SENDING));
        c.graph().depend(site, need, Dependency.of(Relation.NEEDS, Requirement.ALL, Strength.SOFT));
        for (String include : includes) {
            Node.Host host = c.graph().add(new Node.Host(include));
            c.graph().depend(need, host, Dependency.of(Relation.SERVED_BY, Requirement.ALL));
            String record = site.domain() + " TXT \"v=spf1 ... include:" + include + " ...\"";
            operate(
                    c,
                    host,
                    attributor.attributeHost(
                            c.site(), PatternKind.SPF, Service.SENDING, include, record, ZoneSoa.none()));
        }
    }

    /** The {@code include:} and {@code redirect=} domains of the site's SPF record (RFC 7208), one level deep. */
    static List<String> spfIncludes(List<String> txt) {
        String spf = null;
        for (String record : txt) {
            if (SPF_RECORD.matcher(record.toLowerCase(Locale.ROOT)).matches()) {
                spf = record;
                break;
            }
        }
        Set<String> includes = new LinkedHashSet<>();
        if (spf == null) {
            return new ArrayList<>(includes);
        }
        for (String term : WHITESPACE.split(spf.trim())) {
            String lower = term.toLowerCase(Locale.ROOT);
            // A qualifier (+, ?, ~ or -) before the mechanism.
            String body = !lower.isEmpty() && "+?~-".indexOf(lower.charAt(0)) >= 0 ? lower.substring(1) : lower;
            String domain = null;
            if (body.startsWith("include:")) {
                domain = body.substring("include:".length());
            } else if (body.startsWith("redirect=")) {
                domain = body.substring("redirect=".length());
            }
            // Macros (%{...}) name no fixed domain.
            if (domain != null && !domain.isEmpty() && !domain.contains("%")) {
                includes.add(domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain);
            }
        }
        return new ArrayList<>(includes);
    }

    /** Whether the site publishes a null MX (RFC 7505): it takes no mail. */
    private static boolean nullMx(List<DnsObservation.MailExchanger> exchangers) {
        for (DnsObservation.MailExchanger mx : exchangers) {
            if (mx.host().equals(Name.root)) {
                return true;
            }
        }
        return false;
    }

    private void addCa(Context c, Node.Site site) {
        Optional<DnsObservation.CaaSet> caa = c.observation().caa();
        if (caa.isEmpty()) {
            return;
        }
        Set<String> issuers = new LinkedHashSet<>();
        for (DnsObservation.CaaEntry entry : caa.get().records()) {
            String tag = entry.tag().toLowerCase(Locale.ROOT);
            if (tag.equals("issue") || tag.equals("issuewild")) {
                String issuer = entry.value().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (!issuer.isEmpty()) {
                    issuers.add(issuer);
                }
            }
        }
        if (issuers.isEmpty()) {
            return;
        }
        Node.Need need = c.graph().add(new Node.Need(site.domain(), Service.CA));
        c.graph().depend(site, need, Dependency.of(Relation.NEEDS, Requirement.ALL, Strength.SOFT));
        for (String issuer : issuers) {
            Node.Host host = c.graph().add(new Node.Host(issuer));
            c.graph().depend(need, host, Dependency.of(Relation.SERVED_BY, Requirement.ANY));
            String record = c.text(caa.get().foundAt()) + " CAA issue \"" + issuer + "\"";
            operate(
                    c,
                    host,
                    attributor.attributeHost(c.site(), PatternKind.CAA, Service.CA, issuer, record, ZoneSoa.none()));
        }
    }

    private void addAddresses(
            Context c, Node.Host host, AddressResolution resolution, Optional<Service> attributeAsService) {
        for (InetAddress address : resolution.addresses()) {
            String text = address.getHostAddress(); // once: formatting IPv6 was a quarter of this method
            Node.Address vertex = c.graph().add(new Node.Address(text));
            c.graph().depend(host, vertex, Dependency.of(Relation.RESOLVES_TO, Requirement.ANY));
            Optional<AsnRecord> network = attributor.asnTable().lookup(address);
            network.ifPresent(n -> c.graph()
                    .depend(
                            vertex,
                            c.graph().add(new Node.Network(n.asn(), n.organisation())),
                            Dependency.of(Relation.ROUTED_BY, Requirement.ALL)));
            if (attributeAsService.isPresent()) {
                String record = c.text(resolution.canonicalName())
                        + (address.getAddress().length == 4 ? " A " : " AAAA ")
                        + text;
                attributor
                        .attributeAddress(c.site(), attributeAsService.get(), address, record)
                        .ifPresent(a -> operate(c, vertex, a));
            }
        }
    }

    private static void operate(Context c, Node node, Attribution attribution) {
        Node.Operator operator = c.graph().add(new Node.Operator(attribution.provider()));
        c.graph().depend(node, operator, Dependency.operatedBy(attribution.party(), attribution.evidence()));
    }

    private static HostState state(AddressResolution resolution) {
        HostState.Reachability reachability =
                switch (resolution.status()) {
                    case RESOLVED -> HostState.Reachability.RESOLVED;
                    case NO_ADDRESS -> HostState.Reachability.NO_ADDRESS;
                    case NXDOMAIN -> HostState.Reachability.NXDOMAIN;
                    case SERVFAIL -> HostState.Reachability.SERVFAIL;
                    case TIMEOUT -> HostState.Reachability.TIMEOUT;
                    case CNAME_LOOP -> HostState.Reachability.CNAME_LOOP;
                    case CNAME_TOO_LONG -> HostState.Reachability.CNAME_TOO_LONG;
                };
        return new HostState(
                reachability, resolution.detail(), resolution.aliases().size());
    }

    private static ZoneSoa soaOf(Context c, ZoneInfo zone) {
        return new ZoneSoa(
                c.text(zone.apex()),
                zone.primary().map(c::text),
                zone.responsible().map(c::text));
    }
}
