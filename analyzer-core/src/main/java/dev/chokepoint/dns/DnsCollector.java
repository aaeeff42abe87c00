package dev.chokepoint.dns;

import dev.chokepoint.dns.AddressResolution.Status;
import dev.chokepoint.dns.DnsObservation.CaaEntry;
import dev.chokepoint.dns.DnsObservation.CaaSet;
import dev.chokepoint.dns.DnsObservation.MailExchanger;
import dev.chokepoint.target.DomainName;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks the DNS questions of a site audit and records what came back. It decides nothing: which hosts are third-party,
 * which services are redundant, is for attribution and assessment.
 */
public final class DnsCollector {
    /** How the error of a site starts when the resolvers gave no answer at all to one of its questions. */
    private static final String NO_ANSWER = "no resolver answered";

    /** CNAME hops followed before the chain is called too long; well past the 8 that assessment flags. */
    public static final int MAX_CNAME_HOPS = 16;

    /** Nameserver or mail hosts looked up per site, so that a hostile zone cannot make an audit unbounded. */
    public static final int MAX_HOSTS = 32;

    private final DnsClient client;

    /** Creates a collector that asks through {@code client}. */
    public DnsCollector(DnsClient client) {
        this.client = client;
    }

    /** Collects the DNS observations of {@code target}. */
    public DnsObservation collect(DomainName target) {
        Name name = toName(target.ascii());
        ZoneLookup lookup = findZone(name);
        if (lookup.failure().isPresent()) {
            return DnsObservation.failed(target, lookup.failure().get());
        }
        ZoneInfo zone = lookup.zone().orElseThrow();

        Map<Name, AddressResolution> nameserverAddresses = new LinkedHashMap<>();
        for (Name host : limit(zone.nameservers())) {
            nameserverAddresses.put(host, resolveAddresses(host));
        }

        List<AddressResolution> entryPoints = new ArrayList<>();
        for (Name entry : entryNames(target)) {
            entryPoints.add(resolveAddresses(entry));
        }

        DnsOutcome mxOutcome = client.query(new Question(name, Type.MX));
        List<MailExchanger> exchangers = new ArrayList<>();
        if (mxOutcome instanceof DnsOutcome.Answer answer) {
            for (Record r : answer.recordsAt(name, Type.MX)) {
                MXRecord mx = (MXRecord) r;
                exchangers.add(new MailExchanger(mx.getPriority(), mx.getTarget()));
            }
            exchangers.sort(Comparator.comparingInt(MailExchanger::preference)
                    .thenComparing(m -> m.host().toString()));
        }
        Map<Name, AddressResolution> mailAddresses = new LinkedHashMap<>();
        for (MailExchanger mx : exchangers) {
            // A null MX (RFC 7505) says the domain takes no mail; there is nothing to resolve.
            if (!mx.host().equals(Name.root) && mailAddresses.size() < MAX_HOSTS) {
                mailAddresses.computeIfAbsent(mx.host(), this::resolveAddresses);
            }
        }

        List<String> txt = new ArrayList<>();
        if (client.query(new Question(name, Type.TXT)) instanceof DnsOutcome.Answer answer) {
            for (Record r : answer.recordsAt(name, Type.TXT)) {
                txt.add(String.join("", ((TXTRecord) r).getStrings()));
            }
        }

        Map<Name, ZoneInfo> nameserverZones = new LinkedHashMap<>();
        Set<Name> seenZones = new HashSet<>();
        seenZones.add(zone.apex());
        for (Name host : limit(zone.nameservers())) {
            if (host.subdomain(zone.apex())) {
                continue;
            }
            ZoneLookup hostZone = findZone(host);
            hostZone.zone().filter(z -> seenZones.add(z.apex())).ifPresent(z -> nameserverZones.put(z.apex(), z));
        }

        return new DnsObservation(
                target,
                Optional.empty(),
                Optional.of(zone),
                nameserverAddresses,
                entryPoints,
                exchangers,
                mxOutcome.label(),
                mailAddresses,
                txt,
                findCaa(name),
                nameserverZones);
    }

    /**
     * Collects what the graph needs about a host outside the site (a page resource's host, an OCSP responder): its
     * address chain and the NS set of its zone, so that its CDN, hosting and DNS providers can be attributed.
     */
    public HostObservation collectHost(Name host) {
        AddressResolution addresses = resolveAddresses(host);
        return new HostObservation(addresses, findZone(host).zone());
    }

    private static List<Name> limit(List<Name> hosts) {
        return hosts.size() <= MAX_HOSTS ? hosts : hosts.subList(0, MAX_HOSTS);
    }

    private static List<Name> entryNames(DomainName target) {
        Set<String> names = new LinkedHashSet<>();
        names.add(target.ascii());
        if (target.ascii().startsWith("www.")) {
            names.add(target.ascii().substring(4));
        } else {
            names.add("www." + target.ascii());
        }
        return names.stream().map(DnsCollector::toName).toList();
    }

    private record ZoneLookup(Optional<ZoneInfo> zone, Optional<DnsFailure> failure) {}

    /**
     * Finds the zone that holds {@code name} by asking for its SOA and walking up one label at a time; a negative
     * answer names the zone in its authority section, which usually ends the walk at once.
     */
    private ZoneLookup findZone(Name name) {
        Name current = name;
        while (current.labels() > 1) {
            DnsOutcome outcome = client.query(new Question(current, Type.SOA));
            Optional<SOARecord> soa = Optional.empty();
            switch (outcome) {
                case DnsOutcome.Answer answer -> {
                    List<Record> soas = answer.recordsAt(current, Type.SOA);
                    if (!soas.isEmpty()) {
                        soa = Optional.of((SOARecord) soas.getFirst());
                    }
                }
                case DnsOutcome.NoData noData -> soa = noData.soa();
                case DnsOutcome.NoSuchDomain nx -> {
                    if (current.equals(name)) {
                        return failed(DnsFailure.Kind.NO_SUCH_DOMAIN, name + " does not exist (NXDOMAIN)");
                    }
                    soa = nx.soa();
                }
                case DnsOutcome.ServFail fail -> {
                    return failed(
                            DnsFailure.Kind.ERROR_ANSWER,
                            "resolver answered " + fail.label() + " for " + outcome.question());
                }
                case DnsOutcome.Timeout timeout -> {
                    // The detail stays out of the message: it differs between a live run and its replay.
                    return failed(DnsFailure.Kind.NO_ANSWER, NO_ANSWER + " " + outcome.question());
                }
            }
            if (soa.isPresent()
                    && (current.equals(soa.get().getName())
                            || current.subdomain(soa.get().getName()))) {
                Name apex = soa.get().getName();
                return new ZoneLookup(Optional.of(zoneAt(apex, soa.get())), Optional.empty());
            }
            current = new Name(current, 1);
        }
        return failed(DnsFailure.Kind.NO_ZONE, "no zone found for " + name);
    }

    private static ZoneLookup failed(DnsFailure.Kind kind, String message) {
        return new ZoneLookup(Optional.empty(), Optional.of(new DnsFailure(kind, message)));
    }

    private ZoneInfo zoneAt(Name apex, SOARecord soa) {
        DnsOutcome outcome = client.query(new Question(apex, Type.NS));
        List<Name> hosts = new ArrayList<>();
        if (outcome instanceof DnsOutcome.Answer answer) {
            for (Record r : answer.recordsAt(apex, Type.NS)) {
                Name host = ((NSRecord) r).getTarget();
                if (!hosts.contains(host)) {
                    hosts.add(host);
                }
            }
            sortByText(hosts);
        }
        return new ZoneInfo(apex, Optional.of(soa.getHost()), Optional.of(soa.getAdmin()), hosts, outcome.label());
    }

    /**
     * Sorts nameserver hosts by their text, each named once: {@link Name#toString} builds a new string on every call,
     * and a comparator calling it named each host again for every comparison.
     */
    private static void sortByText(List<Name> names) {
        if (names.size() < 2) {
            return;
        }
        List<Map.Entry<String, Name>> keyed = new ArrayList<>(names.size());
        for (Name name : names) {
            keyed.add(Map.entry(name.toString(), name));
        }
        keyed.sort(Map.Entry.comparingByKey());
        for (int i = 0; i < keyed.size(); i++) {
            names.set(i, keyed.get(i).getValue());
        }
    }

    /** Looks up the A and AAAA addresses of {@code name}, following its CNAME chain one hop at a time. */
    public AddressResolution resolveAddresses(Name name) {
        Chain v4 = follow(name, Type.A);
        List<InetAddress> addresses = new ArrayList<>(v4.records().size() + 2);
        for (Record r : v4.records()) {
            addresses.add(((ARecord) r).getAddress());
        }
        Status status = v4.status();
        String detail = v4.detail();
        if (status == Status.RESOLVED || status == Status.NO_ADDRESS) {
            Chain v6 = follow(v4.last(), Type.AAAA);
            for (Record r : v6.records()) {
                addresses.add(((AAAARecord) r).getAddress());
            }
            if (!addresses.isEmpty()) {
                status = Status.RESOLVED;
                detail = "";
            } else {
                status = Status.NO_ADDRESS;
                detail = "no A or AAAA record";
            }
        }
        return new AddressResolution(name, v4.aliases(), addresses, status, detail);
    }

    private record Chain(Name last, List<Name> aliases, List<Record> records, Status status, String detail) {}

    /**
     * Asks for {@code type} at {@code start} and follows CNAMEs. Hops the server already followed in one answer are
     * taken from it; a hop it did not follow is asked for, so the chain is complete whichever way the server works.
     */
    private Chain follow(Name start, int type) {
        Name current = start;
        List<Name> aliases = new ArrayList<>();
        Set<Name> visited = new HashSet<>();
        visited.add(start);
        while (true) {
            DnsOutcome outcome = client.query(new Question(current, type));
            if (outcome instanceof DnsOutcome.ServFail && type != Type.CNAME) {
                // Servers answer SERVFAIL for a chain they cannot finish (a loop, a dead hop): ask for the CNAME
                // itself, which no server chases, and walk the chain here so that its shape is seen.
                DnsOutcome alias = client.query(new Question(current, Type.CNAME));
                if (alias instanceof DnsOutcome.Answer answer
                        && answer.cnameAt(current).isPresent()) {
                    outcome = answer;
                }
            }
            List<Record> cnames =
                    switch (outcome) {
                        case DnsOutcome.Answer answer -> answer.records();
                        case DnsOutcome.NoSuchDomain nx -> nx.aliases();
                        default -> List.of();
                    };
            boolean advanced = false;
            while (true) {
                List<Record> data =
                        outcome instanceof DnsOutcome.Answer answer ? answer.recordsAt(current, type) : List.of();
                if (!data.isEmpty()) {
                    return new Chain(current, aliases, data, Status.RESOLVED, "");
                }
                Optional<CNAMERecord> cname = DnsOutcome.Answer.cnameAt(cnames, current);
                if (cname.isEmpty()) {
                    break;
                }
                Name target = cname.get().getTarget();
                if (!visited.add(target)) {
                    aliases.add(target);
                    return new Chain(current, aliases, List.of(), Status.CNAME_LOOP, "CNAME loop at " + target);
                }
                aliases.add(target);
                if (aliases.size() > MAX_CNAME_HOPS) {
                    return new Chain(
                            current,
                            aliases,
                            List.of(),
                            Status.CNAME_TOO_LONG,
                            "more than " + MAX_CNAME_HOPS + " CNAME hops");
                }
                current = target;
                advanced = true;
            }
            if (advanced && !(outcome instanceof DnsOutcome.NoSuchDomain)) {
                continue; // the server gave the first hop(s) only: ask for the rest.
            }
            return switch (outcome) {
                case DnsOutcome.Answer ignored -> new Chain(current, aliases, List.of(), Status.NO_ADDRESS, "no data");
                case DnsOutcome.NoData ignored ->
                    new Chain(current, aliases, List.of(), Status.NO_ADDRESS, "no " + Type.string(type) + " record");
                case DnsOutcome.NoSuchDomain ignored ->
                    new Chain(current, aliases, List.of(), Status.NXDOMAIN, current + " does not exist");
                case DnsOutcome.ServFail fail ->
                    new Chain(current, aliases, List.of(), Status.SERVFAIL, fail.label() + " for " + current);
                case DnsOutcome.Timeout timeout ->
                    new Chain(current, aliases, List.of(), Status.TIMEOUT, "no answer for " + current);
            };
        }
    }

    /**
     * Finds the relevant CAA record set (RFC 8659, section 3): the CAA records at the name or, when there are none, at
     * the closest ancestor that has some, stopping below the top-level domain.
     */
    private Optional<CaaSet> findCaa(Name name) {
        Name current = name;
        while (current.labels() > 2) {
            DnsOutcome outcome = client.query(new Question(current, Type.CAA));
            if (outcome instanceof DnsOutcome.Answer answer) {
                Name owner = current;
                Name holder = answer.cnameAt(owner).map(CNAMERecord::getTarget).orElse(owner);
                List<CaaEntry> entries = answer.records().stream()
                        .filter(CAARecord.class::isInstance)
                        .map(CAARecord.class::cast)
                        .filter(r -> r.getName().equals(holder) || r.getName().equals(owner))
                        .map(r -> new CaaEntry(r.getFlags(), r.getTag(), r.getValue()))
                        .collect(Collectors.toList());
                if (!entries.isEmpty()) {
                    return Optional.of(new CaaSet(current, entries));
                }
            }
            current = new Name(current, 1);
        }
        return Optional.empty();
    }

    private static Name toName(String ascii) {
        try {
            return Name.fromString(ascii, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + ascii, e);
        }
    }
}
