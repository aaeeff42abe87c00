package dev.chokepoint.dns;

import dev.chokepoint.target.DomainName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Everything the DNS said about one site, organised by the question it answers. Collected, not judged: whether a
 * nameserver is third-party or a service redundant is decided later from this record.
 *
 * @param target the audited name
 * @param failure why the site could not be audited (it does not exist, no resolver answered); empty when collected
 * @param zone the zone that holds the target, with its NS set
 * @param nameserverAddresses addresses of every host in the zone's NS set
 * @param entryPoints address lookups of the web entry points (the target and its {@code www} name)
 * @param mailExchangers the MX set of the target, in preference order
 * @param mxStatus the outcome of the MX query
 * @param mailAddresses addresses of every MX host
 * @param txt the TXT strings at the target, one string per record
 * @param caa the relevant CAA record set by RFC 8659's climb, if any
 * @param nameserverZones the zones of nameserver hosts outside the site's own zone, keyed by zone apex
 */
public record DnsObservation(
        DomainName target,
        Optional<DnsFailure> failure,
        Optional<ZoneInfo> zone,
        Map<Name, AddressResolution> nameserverAddresses,
        List<AddressResolution> entryPoints,
        List<MailExchanger> mailExchangers,
        String mxStatus,
        Map<Name, AddressResolution> mailAddresses,
        List<String> txt,
        Optional<CaaSet> caa,
        Map<Name, ZoneInfo> nameserverZones) {

    /** Copies the collections. */
    public DnsObservation {
        nameserverAddresses = Map.copyOf(nameserverAddresses);
        entryPoints = List.copyOf(entryPoints);
        mailExchangers = List.copyOf(mailExchangers);
        mailAddresses = Map.copyOf(mailAddresses);
        txt = List.copyOf(txt);
        nameserverZones = Map.copyOf(nameserverZones);
    }

    /** Why the site could not be audited, in words; empty when collected. */
    public Optional<String> error() {
        return failure.map(DnsFailure::message);
    }

    /** An observation of a site that could not be audited. */
    public static DnsObservation failed(DomainName target, DnsFailure failure) {
        return new DnsObservation(
                target,
                Optional.of(failure),
                Optional.empty(),
                Map.of(),
                List.of(),
                List.of(),
                "not asked",
                Map.of(),
                List.of(),
                Optional.empty(),
                Map.of());
    }

    /**
     * One MX record.
     *
     * @param preference lower is preferred
     * @param host the mail exchanger's name
     */
    public record MailExchanger(int preference, Name host) {}

    /**
     * The CAA record set that applies to the target.
     *
     * @param foundAt the name that holds it: the target or the closest ancestor with CAA records
     * @param records the records, as {@code flags tag value}
     */
    public record CaaSet(Name foundAt, List<CaaEntry> records) {
        /** Copies the list. */
        public CaaSet {
            records = List.copyOf(records);
        }
    }

    /**
     * One CAA record.
     *
     * @param flags the flags octet
     * @param tag {@code issue}, {@code issuewild}, {@code iodef}, ...
     * @param value the property value, for example {@code letsencrypt.org}
     */
    public record CaaEntry(int flags, String tag, String value) {}
}
