package dev.chokepoint.testdns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * One zone served by {@link ZoneServer}: dnsjava's {@link Zone} plus the answers it gets wrong for
 * a resolver.
 *
 * <p>{@link Zone#findRecords} reports NXDOMAIN for empty non-terminals and for wildcard names that
 * lack the asked type, and never synthesises CNAMEs from wildcards; real resolvers say NODATA or
 * alias there, and a client that treats NXDOMAIN as "the whole subtree is gone" would be misled.
 */
record ServedZone(Zone zone, Set<Name> existingNames) {

    private static final Name WILDCARD_LABEL = Name.fromConstantString("*");

    ServedZone {
        existingNames = Set.copyOf(existingNames);
    }

    /** Parses zone-file text for the given origin; the text may also use {@code $ORIGIN}. */
    static ServedZone parse(Name origin, String zoneText) throws IOException {
        Zone zone = new Zone(origin, new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)));
        return new ServedZone(zone, namesWithAncestors(zone));
    }

    /** The zone's apex name. */
    Name origin() {
        return zone.getOrigin();
    }

    /** Whether the name is at or below this zone's apex. */
    boolean contains(Name name) {
        return name.subdomain(origin());
    }

    /**
     * The SOA to put in a negative answer, with its TTL capped at the SOA minimum as RFC 2308 asks,
     * so clients cache NXDOMAIN and NODATA for the intended time.
     */
    SOARecord negativeSoa() {
        SOARecord soa = zone.getSOA();
        long ttl = Math.min(soa.getTTL(), soa.getMinimum());
        return new SOARecord(
                soa.getName(),
                soa.getDClass(),
                ttl,
                soa.getHost(),
                soa.getAdmin(),
                soa.getSerial(),
                soa.getRefresh(),
                soa.getRetry(),
                soa.getExpire(),
                soa.getMinimum());
    }

    /** Looks the name and type up the way a resolver that trusts this zone would. */
    ZoneAnswer lookup(Name name, int type) {
        SetResponse response = zone.findRecords(name, type);
        if (response.isSuccessful()) {
            return new ZoneAnswer.Found(response.answers());
        }
        if (response.isCNAME()) {
            return new ZoneAnswer.Alias(zone.findExactMatch(name, Type.CNAME));
        }
        if (response.isDelegation()) {
            return new ZoneAnswer.Referral(response.getNS(), glueFor(response.getNS()));
        }
        if (response.isNXDOMAIN()) {
            return correctedNxDomain(name, type);
        }
        // NXRRSET, and DNAME which the fixtures deliberately do not support.
        return new ZoneAnswer.NoData();
    }

    private ZoneAnswer correctedNxDomain(Name name, int type) {
        if (existingNames.contains(name)) {
            return new ZoneAnswer.NoData();
        }
        Name wildcard = wildcardAt(closestEncloser(name));
        if (wildcard == null || !existingNames.contains(wildcard)) {
            return new ZoneAnswer.NxDomain();
        }
        RRset wildCname = zone.findExactMatch(wildcard, Type.CNAME);
        if (wildCname != null && type != Type.CNAME) {
            CNAMERecord source = (CNAMERecord) wildCname.first();
            return new ZoneAnswer.Alias(
                    new RRset(new CNAMERecord(name, source.getDClass(), source.getTTL(), source.getTarget())));
        }
        return new ZoneAnswer.NoData();
    }

    private Name closestEncloser(Name name) {
        Name candidate = name;
        while (!existingNames.contains(candidate) && candidate.labels() > origin().labels()) {
            candidate = new Name(candidate, 1);
        }
        return candidate;
    }

    private static Name wildcardAt(Name encloser) {
        try {
            return Name.concatenate(WILDCARD_LABEL, encloser);
        } catch (NameTooLongException e) {
            return null;
        }
    }

    private List<RRset> glueFor(RRset nameServers) {
        List<RRset> glue = new ArrayList<>();
        for (Record record : nameServers.rrs(false)) {
            Name host = ((NSRecord) record).getTarget();
            if (!contains(host)) {
                continue;
            }
            for (int addressType : new int[] {Type.A, Type.AAAA}) {
                RRset addresses = zone.findExactMatch(host, addressType);
                if (addresses != null) {
                    glue.add(addresses);
                }
            }
        }
        return glue;
    }

    private static Set<Name> namesWithAncestors(Zone zone) {
        Set<Name> names = new HashSet<>();
        int apexLabels = zone.getOrigin().labels();
        for (RRset rrset : zone) {
            Name name = rrset.getName();
            while (names.add(name) && name.labels() > apexLabels) {
                name = new Name(name, 1);
            }
        }
        return names;
    }
}
