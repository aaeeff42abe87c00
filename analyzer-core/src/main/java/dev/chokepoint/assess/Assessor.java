package dev.chokepoint.assess;

import com.google.common.net.InetAddresses;
import dev.chokepoint.graph.Dependency;
import dev.chokepoint.graph.Dependency.Relation;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.HostState;
import dev.chokepoint.graph.HostState.Reachability;
import dev.chokepoint.graph.Node;
import dev.chokepoint.graph.SiteFacts;
import dev.chokepoint.provider.Evidence;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Provider;
import dev.chokepoint.provider.Service;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;

/**
 * Assesses a site on its dependency graph: which providers each service relies on, which of them are single points
 * of failure, the findings and the score. Reads the graph only.
 */
public final class Assessor {
    /** CNAME chains longer than this are flagged. */
    public static final int MAX_REASONABLE_CNAME_HOPS = 8;

    /** Assesses {@code site}, which must be in {@code graph}. */
    public SiteAssessment assess(DependencyGraph graph, Node.Site site) {
        SiteFacts facts = graph.facts(site).orElseThrow(() -> new IllegalArgumentException("not in graph: " + site));
        Run run = new Run(graph, new FailureModel(graph), site);
        List<ServiceAssessment> services = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();

        graph.need(site, Service.DNS).ifPresent(need -> {
            ServiceAssessment dns = run.service(Service.DNS, need, null, true);
            services.add(dns);
            dnsFindings(run, need, dns, findings);
        });
        graph.need(site, Service.WEB)
                .ifPresentOrElse(
                        need -> {
                            List<ServiceAssessment> web = new ArrayList<>();
                            for (Service s : List.of(Service.CDN, Service.HOSTING)) {
                                ServiceAssessment assessment = run.service(s, need, s, true);
                                if (!assessment.providers().isEmpty()) {
                                    web.add(assessment);
                                }
                            }
                            if (web.isEmpty()) {
                                // Served, but by addresses no dataset or network table can name: say so rather than
                                // omit.
                                web.add(new ServiceAssessment(Service.HOSTING, true, List.of(), false, false));
                            }
                            services.addAll(web);
                            webFindings(run, need, web, findings);
                        },
                        () -> findings.add(new Finding(
                                "web-unresolved",
                                Severity.HIGH,
                                Service.WEB.id(),
                                site.domain(),
                                "Neither " + site.domain()
                                        + " nor its www name has an address: there is no web site to reach.")));
        graph.need(site, Service.MAIL).ifPresent(need -> {
            ServiceAssessment mail = run.service(Service.MAIL, need, null, true);
            services.add(mail);
            mailFindings(run, need, mail, findings);
        });
        graph.need(site, Service.CONTENT)
                .ifPresent(need -> services.add(run.service(Service.CONTENT, need, null, true)));
        facts.web().ifPresent(web -> WebFindings.add(site.domain(), web, findings));
        graph.need(site, Service.SENDING)
                .ifPresent(need -> services.add(run.service(Service.SENDING, need, null, false)));
        graph.need(site, Service.CA).ifPresent(need -> services.add(run.service(Service.CA, need, null, false)));
        if (facts.caaFoundAt().isEmpty() && !facts.zone().isEmpty()) {
            findings.add(new Finding(
                    "caa-missing",
                    Severity.LOW,
                    Service.CA.id(),
                    site.domain(),
                    "No CAA record at " + site.domain() + " or above it: any certificate authority may issue"
                            + " certificates for it (RFC 8659)."));
        }
        int score = score(findings);
        return new SiteAssessment(
                site.domain(),
                facts.unicode(),
                facts.zone(),
                services,
                findings,
                score,
                facts.web().map(w -> w.resources()).orElse(List.of()),
                graph.need(site, Service.DNS)
                        .map(need -> run.alternatives(need).stream()
                                .map(Node.Host::name)
                                .sorted()
                                .toList())
                        .orElse(List.of()),
                SurvivalFormula.of(graph, site));
    }

    private static void dnsFindings(Run run, Node.Need need, ServiceAssessment dns, List<Finding> findings) {
        String site = run.site().domain();
        List<Node.Host> servers = run.alternatives(need);
        if (servers.isEmpty()) {
            findings.add(new Finding(
                    "dns-few-nameservers",
                    Severity.CRITICAL,
                    "dns",
                    site,
                    "The zone " + run.facts().zone() + " has no NS records that could be read ("
                            + run.facts().nameserverQuery() + "): the domain cannot be resolved."));
            return;
        }
        if (servers.size() < 2) {
            findings.add(new Finding(
                    "dns-few-nameservers",
                    Severity.HIGH,
                    "dns",
                    servers.getFirst().name(),
                    "The zone " + run.facts().zone() + " has a single nameserver, "
                            + servers.getFirst().name() + "; RFC 2182 asks for at least two."));
        }
        // One walk of each nameserver's addresses: the ones that did not resolve have none and add nothing below.
        List<Node.Host> broken = new ArrayList<>();
        int resolved = 0;
        Set<String> v4Prefixes = new LinkedHashSet<>();
        Set<Node.Network> networks = new LinkedHashSet<>();
        boolean allKnown = true;
        for (Node.Host host : servers) {
            if (!run.graph().state(host).reachability().usable()) {
                broken.add(host);
            }
            List<Node.Address> addresses = run.addressNodesOf(host);
            if (!addresses.isEmpty()) {
                resolved++;
            }
            for (Node.Address address : addresses) {
                byte[] b = InetAddresses.forString(address.address()).getAddress();
                if (b.length == 4) {
                    v4Prefixes.add((b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24");
                }
                List<Node.Network> nets = run.networksOf(address);
                if (nets.isEmpty()) {
                    allKnown = false;
                }
                networks.addAll(nets);
            }
        }
        for (Node.Host host : broken) {
            boolean all = broken.size() == servers.size();
            findings.add(new Finding(
                    "dns-nameserver-unresolved",
                    all ? Severity.CRITICAL : Severity.MEDIUM,
                    "dns",
                    host.name(),
                    "Nameserver " + host.name() + " does not resolve ("
                            + run.graph().state(host).detail() + ")"
                            + (all
                                    ? ": no nameserver of the zone can be reached."
                                    : ": resolvers lose one alternative.")));
        }
        if (resolved >= 2) {
            if (v4Prefixes.size() == 1) {
                findings.add(new Finding(
                        "dns-same-prefix",
                        Severity.MEDIUM,
                        "dns",
                        v4Prefixes.iterator().next(),
                        count(resolved) + " have their IPv4 addresses in "
                                + v4Prefixes.iterator().next()
                                + ": one routing problem reaches them all (RFC 2182 asks for topological diversity)."));
            }
            if (allKnown && networks.size() == 1) {
                Node.Network network = networks.iterator().next();
                findings.add(new Finding(
                        "dns-same-asn",
                        Severity.MEDIUM,
                        "dns",
                        network.label(),
                        count(resolved) + " are announced by one network, " + network.label()
                                + ": an outage of that network takes the zone's DNS down (RFC 2182)."));
            }
        }
        for (ProviderUse use : dns.providers()) {
            if (use.singlePointOfFailure() && use.thirdParty() && !use.indirect()) {
                findings.add(new Finding(
                        "dns-single-provider",
                        Severity.HIGH,
                        "dns",
                        use.provider().displayName(),
                        "Every nameserver of " + run.facts().zone() + " is run by "
                                + use.provider().displayName()
                                + (use.provider().known() ? "" : " (not in the datasets)") + ": if it fails, "
                                + run.site().domain() + " stops resolving."));
            }
        }
        Set<String> direct = directProviderIds(dns.providers());
        for (ProviderUse use : dns.providers()) {
            if (!use.indirect() || direct.contains(use.provider().id()) || !use.thirdParty()) {
                continue;
            }
            String through = run.dnsProvidersLeadingTo(need, use.provider());
            findings.add(new Finding(
                    "dns-indirect-dependency",
                    use.singlePointOfFailure() ? Severity.HIGH : Severity.LOW,
                    "dns",
                    use.provider().displayName(),
                    "The nameservers of " + through + " are themselves resolved through "
                            + use.provider().displayName()
                            + (use.singlePointOfFailure()
                                    ? ": its failure alone stops " + run.site().domain() + " resolving."
                                    : ": an indirect dependency, with other paths left if it fails.")));
        }
    }

    /** The ids of the providers a service uses directly, not through another provider. */
    private static Set<String> directProviderIds(List<ProviderUse> providers) {
        Set<String> ids = new HashSet<>();
        for (ProviderUse use : providers) {
            if (!use.indirect()) {
                ids.add(use.provider().id());
            }
        }
        return ids;
    }

    /**
     * The resilience score: 100 less the penalty of each kind of finding, counted once at its worst severity, so that
     * five blocking scripts cost what one does and the score keeps telling sites apart.
     */
    static int score(List<Finding> findings) {
        java.util.Map<String, Severity> worst = new java.util.HashMap<>();
        for (Finding finding : findings) {
            worst.merge(finding.id(), finding.severity(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return Math.max(
                0, 100 - worst.values().stream().mapToInt(Severity::penalty).sum());
    }

    private static String count(int nameservers) {
        return nameservers == 2 ? "Both nameservers" : "All " + nameservers + " nameservers";
    }

    private static void webFindings(Run run, Node.Need need, List<ServiceAssessment> web, List<Finding> findings) {
        for (Node.Host entry : run.alternatives(need)) {
            HostState state = run.graph().state(entry);
            if (state.reachability() == Reachability.CNAME_LOOP) {
                findings.add(new Finding(
                        "cname-loop",
                        Severity.CRITICAL,
                        "web",
                        entry.name(),
                        "The CNAME chain of " + entry.name() + " loops (" + state.detail()
                                + "): the name never resolves."));
            } else if (state.reachability() == Reachability.CNAME_TOO_LONG
                    || state.aliasHops() > MAX_REASONABLE_CNAME_HOPS) {
                findings.add(new Finding(
                        "cname-chain-long",
                        Severity.MEDIUM,
                        "web",
                        entry.name(),
                        "The CNAME chain of " + entry.name() + " has "
                                + (state.reachability() == Reachability.CNAME_TOO_LONG
                                        ? "more hops than are followed"
                                        : state.aliasHops() + " hops")
                                + "; more than " + MAX_REASONABLE_CNAME_HOPS
                                + " makes resolution slow and some resolvers give up."));
            } else if (!state.reachability().usable()) {
                findings.add(new Finding(
                        "web-entry-unresolved",
                        Severity.HIGH,
                        "web",
                        entry.name(),
                        entry.name() + " does not resolve (" + state.detail() + ")."));
            }
        }
        for (ServiceAssessment service : web) {
            for (ProviderUse use : service.providers()) {
                if (!use.singlePointOfFailure() || !use.thirdParty()) {
                    continue;
                }
                boolean cdn = service.service() == Service.CDN;
                findings.add(new Finding(
                        cdn ? "cdn-single-provider" : "hosting-single-provider",
                        cdn ? Severity.HIGH : Severity.LOW,
                        service.service().id(),
                        use.provider().displayName(),
                        run.site().domain() + " is served through "
                                + use.provider().displayName() + " alone: if it fails, the site is down."));
            }
        }
    }

    private static void mailFindings(Run run, Node.Need need, ServiceAssessment mail, List<Finding> findings) {
        for (ProviderUse use : mail.providers()) {
            if (use.singlePointOfFailure() && use.thirdParty()) {
                findings.add(new Finding(
                        "mail-single-provider",
                        Severity.MEDIUM,
                        "mail",
                        use.provider().displayName(),
                        "Every mail exchanger of " + run.site().domain() + " is run by "
                                + use.provider().displayName()
                                + ": if it fails, incoming mail waits in senders' queues or bounces."));
            }
        }
        for (Node.Host host : run.alternatives(need)) {
            if (!run.graph().state(host).reachability().usable()) {
                findings.add(new Finding(
                        "mail-exchanger-unresolved",
                        Severity.MEDIUM,
                        "mail",
                        host.name(),
                        "Mail exchanger " + host.name() + " does not resolve ("
                                + run.graph().state(host).detail() + ")."));
            }
        }
    }

    /** The state of one assessment: the graph, the failure model and memoised answers. */
    private record Run(DependencyGraph graph, FailureModel model, Node.Site site) {
        SiteFacts facts() {
            return graph.facts(site).orElseThrow();
        }

        Graph<Node, Dependency> g() {
            return graph.graph();
        }

        List<Node.Host> alternatives(Node.Need need) {
            List<Node.Host> hosts = new ArrayList<>();
            for (Dependency edge : g().outgoingEdgesOf(need)) {
                if (g().getEdgeTarget(edge) instanceof Node.Host host) {
                    hosts.add(host);
                }
            }
            return hosts;
        }

        List<Node.Address> addressNodesOf(Node.Host host) {
            List<Node.Address> out = new ArrayList<>();
            Node current = host;
            Set<Node> seen = new LinkedHashSet<>();
            while (current != null && seen.add(current)) {
                Node next = null;
                for (Dependency edge : g().outgoingEdgesOf(current)) {
                    Node target = g().getEdgeTarget(edge);
                    if (edge.relation() == Relation.RESOLVES_TO) {
                        out.add((Node.Address) target);
                    } else if (edge.relation() == Relation.ALIAS_OF) {
                        next = target;
                    }
                }
                current = next;
            }
            return out;
        }

        List<Node.Network> networksOf(Node.Address address) {
            List<Node.Network> networks = new ArrayList<>(1);
            for (Dependency edge : g().outgoingEdgesOf(address)) {
                if (edge.relation() == Relation.ROUTED_BY) {
                    networks.add((Node.Network) g().getEdgeTarget(edge));
                }
            }
            return networks;
        }

        /**
         * Assesses a service vertex. With {@code only} set, just the providers of that service are reported (the CDN
         * and hosting providers both sit under the web vertex).
         */
        ServiceAssessment service(Service reported, Node.Need need, Service only, boolean required) {
            Map<Provider, Use> uses = new LinkedHashMap<>();
            collect(need, false, uses);
            boolean baseline = model.works(need, Set.of());
            List<ProviderUse> providers = new ArrayList<>();
            for (Use use : uses.values()) {
                if (only != null && use.provider.service() != only) {
                    continue;
                }
                if (reported == Service.CONTENT && use.provider.service() != Service.CONTENT) {
                    // The CDN, host or DNS of a third party's host: reached through that third party.
                    use.indirect = true;
                }
                boolean spof = baseline && use.party != Party.FIRST && !model.works(need, Set.of(use.provider.id()));
                providers.add(
                        new ProviderUse(use.provider, use.party, use.indirect, spof, new ArrayList<>(use.evidence)));
            }
            providers.sort((a, b) -> Boolean.compare(a.indirect(), b.indirect()));
            boolean critical = false;
            for (ProviderUse p : providers) {
                critical |= p.singlePointOfFailure() && p.thirdParty();
            }
            boolean redundant =
                    !critical && baseline && directProviderIds(providers).size() >= 2;
            return new ServiceAssessment(reported, required, providers, critical, redundant);
        }

        private static final class Use {
            final Provider provider;
            Party party;
            boolean indirect;
            final Set<Evidence> evidence = new LinkedHashSet<>();

            Use(Provider provider, Party party, boolean indirect) {
                this.provider = provider;
                this.party = party;
                this.indirect = indirect;
            }
        }

        /** Walks the service's sub-graph breadth first, collecting operators; crossing a RESOLVED_VIA edge makes them indirect. */
        private void collect(Node start, boolean indirectStart, Map<Provider, Use> uses) {
            Deque<Object[]> stack = new ArrayDeque<>();
            stack.addLast(new Object[] {start, indirectStart});
            Set<Node> seenDirect = new HashSet<>();
            Set<Node> seenIndirect = new HashSet<>();
            while (!stack.isEmpty()) {
                Object[] item = stack.pollFirst();
                Node node = (Node) item[0];
                boolean indirect = (Boolean) item[1];
                if (!(indirect ? seenIndirect : seenDirect).add(node)) {
                    continue;
                }
                for (Dependency edge : g().outgoingEdgesOf(node)) {
                    Node target = g().getEdgeTarget(edge);
                    if (edge.relation() == Relation.OPERATED_BY) {
                        Provider provider = ((Node.Operator) target).provider();
                        Use use = uses.computeIfAbsent(
                                provider, p -> new Use(p, edge.party().orElse(Party.UNKNOWN), indirect));
                        if (!indirect) {
                            use.indirect = false;
                        }
                        if (edge.party().orElse(Party.UNKNOWN) == Party.FIRST) {
                            use.party = Party.FIRST;
                        }
                        edge.evidence().ifPresent(use.evidence::add);
                    } else if (edge.relation() != Relation.ROUTED_BY) {
                        stack.addLast(new Object[] {target, indirect || edge.relation() == Relation.RESOLVED_VIA});
                    }
                }
            }
        }

        /** The direct DNS providers whose nameservers lead to {@code provider}, for an explanation. */
        String dnsProvidersLeadingTo(Node.Need need, Provider provider) {
            Set<String> names = new LinkedHashSet<>();
            for (Node.Host host : alternatives(need)) {
                for (Dependency edge : g().outgoingEdgesOf(host)) {
                    if (edge.relation() != Relation.RESOLVED_VIA) {
                        continue;
                    }
                    Map<Provider, Use> reached = new LinkedHashMap<>();
                    collect(g().getEdgeTarget(edge), true, reached);
                    if (reached.containsKey(provider)) {
                        names.add(host.name());
                    }
                }
            }
            return names.isEmpty() ? "the site's DNS provider" : String.join(", ", names);
        }
    }
}
