package dev.chokepoint.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.chokepoint.target.DomainName;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Attributes hosts and addresses to providers with an ordered rule chain, as the measurement literature does: same
 * registrable domain, then the site's own organisation, then a known provider, then the zone's SOA, then unknown.
 * Pure: it reads datasets, never the network.
 */
public final class Attributor {
    private final ProviderCatalog catalog;
    private final AsnTable asns;
    private final EntityMap entities;

    /**
     * Memos of the two lookups every host name goes through, bounded for batches: the same provider hosts come up
     * for thousands of sites, and the Public Suffix List walk and the pattern scan were a tenth of a scan's time.
     */
    private final Cache<String, String> organisational = memo();

    private final Cache<MatchKey, Optional<Pattern>> matches = memo();

    /** A memo key; equals and hashCode written out for the reason given on {@link dev.chokepoint.dns.Question}. */
    private record MatchKey(PatternKind kind, String name) {
        @Override
        public boolean equals(Object other) {
            return other instanceof MatchKey k && kind == k.kind && name.equals(k.name);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + kind.hashCode();
        }
    }

    private static final long MEMO_ENTRIES = 50_000;

    /** Creates an attributor over the given datasets, without an entity map. */
    public Attributor(ProviderCatalog catalog, AsnTable asns) {
        this(catalog, asns, EntityMap.empty());
    }

    /** Creates an attributor over the given datasets. */
    public Attributor(ProviderCatalog catalog, AsnTable asns, EntityMap entities) {
        this.catalog = catalog;
        this.asns = asns;
        this.entities = entities;
    }

    /**
     * Attributes the host of a page resource: same registrable domain, the site's own organisation in the entity map
     * (fbcdn.net for facebook.com), a name on the site's own certificate, then the entity map, then the provider
     * catalog's own domains, then unknown.
     *
     * @param certificateNames the DNS names on the site's certificate
     */
    public Attribution attributeResource(SiteIdentity site, String host, String record, List<String> certificateNames) {
        String name = canonical(host);
        String registrable = organisationalDomainOf(name);
        if (registrable.equals(site.registrable())) {
            return new Attribution(
                    self(site, Service.CONTENT),
                    Party.FIRST,
                    new Evidence(record, "first party: same registrable domain as the site (Public Suffix List)"));
        }
        Optional<Entity> entity = entities.match(name);
        Optional<String> siteOwner = entities.match(site.registrable())
                .map(Entity::organisationId)
                .or(() -> catalog.ownerOf(site.registrable()).map(Organisation::id));
        if (entity.isPresent()
                && siteOwner.filter(entity.get().organisationId()::equals).isPresent()) {
            return new Attribution(
                    new Provider(entity.get().organisationId(), entity.get().name(), Service.CONTENT, true),
                    Party.FIRST,
                    new Evidence(
                            record,
                            "first party: " + name + " and " + site.registrable() + " both belong to "
                                    + entity.get().name() + " (" + entity.get().location() + ")"));
        }
        for (String certificateName : certificateNames) {
            String n = canonical(certificateName);
            boolean covered = n.equals(name)
                    || (n.startsWith("*.")
                            && name.indexOf('.') > 0
                            && name.substring(name.indexOf('.') + 1).equals(n.substring(2)));
            if (covered) {
                return new Attribution(
                        self(site, Service.CONTENT),
                        Party.FIRST,
                        new Evidence(record, "first party: " + name + " is named on the site's own certificate"));
            }
        }
        if (entity.isPresent()) {
            Entity e = entity.get();
            return new Attribution(
                    new Provider(e.organisationId(), e.name(), Service.CONTENT, true),
                    Party.THIRD,
                    new Evidence(
                            record,
                            "known third party: " + e.domain() + " is " + e.name() + " (" + e.category() + ", "
                                    + e.location() + ")"));
        }
        Optional<Organisation> owner = catalog.ownerOf(registrable);
        if (owner.isPresent()) {
            return new Attribution(
                    new Provider(owner.get().id(), owner.get().name(), Service.CONTENT, true),
                    Party.THIRD,
                    new Evidence(
                            record,
                            "known provider: " + registrable + " is a domain of "
                                    + owner.get().name() + " (" + ProviderCatalog.ORGANISATIONS_FILE + ")"));
        }
        return new Attribution(
                new Provider(registrable, registrable, Service.CONTENT, false),
                Party.UNKNOWN,
                new Evidence(record, "unknown: not in the entity map; grouped by registrable domain " + registrable));
    }

    /** Attributes response headers to the CDN or host they reveal (CF-Ray, X-Amz-Cf-Id, ...). */
    public List<Attribution> attributeHeaders(
            SiteIdentity site, List<java.util.Map.Entry<String, String>> headers, String url) {
        List<Attribution> out = new java.util.ArrayList<>();
        for (Pattern pattern : catalog.matchHeaders(headers)) {
            Party party = pattern.organisation().domains().contains(site.registrable()) ? Party.FIRST : Party.THIRD;
            out.add(new Attribution(
                    pattern.provider(),
                    party,
                    new Evidence(
                            "response of " + url + " has " + pattern.value(),
                            "known provider: " + pattern.describe())));
        }
        return out;
    }

    /** Attributes a certificate issuer organisation to its CA. */
    public Attribution attributeIssuer(SiteIdentity site, String issuerOrganisation, String record) {
        Optional<Pattern> pattern = catalog.matchIssuer(issuerOrganisation);
        if (pattern.isPresent()) {
            Party party =
                    pattern.get().organisation().domains().contains(site.registrable()) ? Party.FIRST : Party.THIRD;
            return new Attribution(
                    pattern.get().provider(),
                    party,
                    new Evidence(record, "known provider: " + pattern.get().describe()));
        }
        String id = issuerOrganisation
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
        return new Attribution(
                new Provider(id.isEmpty() ? "unknown-ca" : id, issuerOrganisation, Service.CA, false),
                Party.UNKNOWN,
                new Evidence(record, "unknown: issuer not in the datasets"));
    }

    /** The provider catalog. */
    public ProviderCatalog catalog() {
        return catalog;
    }

    /** The IP-to-ASN table. */
    public AsnTable asnTable() {
        return asns;
    }

    /**
     * Attributes a host name seen as evidence of {@code kind}.
     *
     * @param service the service the host provides to the site
     * @param record the observed record, for the explanation
     * @param zoneSoa the MNAME and RNAME of the host's own zone, when collected
     */
    public Attribution attributeHost(
            SiteIdentity site, PatternKind kind, Service service, String host, String record, ZoneSoa zoneSoa) {
        String name = canonical(host);
        Optional<String> hostRegistrable = Optional.of(organisationalDomainOf(name));
        if (hostRegistrable.get().equals(site.registrable())) {
            return new Attribution(
                    self(site, service),
                    Party.FIRST,
                    new Evidence(record, "first party: same registrable domain as the site (Public Suffix List)"));
        }
        Optional<Pattern> match = match(kind, name);
        if (match.isPresent()) {
            Pattern pattern = match.get();
            Provider provider = new Provider(
                    pattern.organisation().id(), pattern.organisation().name(), service, true);
            if (pattern.organisation().domains().contains(site.registrable())) {
                return new Attribution(
                        provider,
                        Party.FIRST,
                        new Evidence(
                                record,
                                "first party: " + site.registrable() + " belongs to "
                                        + pattern.organisation().name() + ", which operates it (" + pattern.describe()
                                        + ")"));
            }
            return new Attribution(
                    provider, Party.THIRD, new Evidence(record, "known provider: " + pattern.describe()));
        }
        Optional<Organisation> owner = hostRegistrable.flatMap(catalog::ownerOf);
        if (owner.isPresent()) {
            // A host under an organisation's own domain (ns3.cloudflare.com) is run by it, even with no pattern.
            Organisation organisation = owner.get();
            Provider provider = new Provider(organisation.id(), organisation.name(), service, true);
            Party party = organisation.domains().contains(site.registrable()) ? Party.FIRST : Party.THIRD;
            return new Attribution(
                    provider,
                    party,
                    new Evidence(
                            record,
                            (party == Party.FIRST ? "first party" : "known provider") + ": " + hostRegistrable.get()
                                    + " is a domain of " + organisation.name() + " ("
                                    + ProviderCatalog.ORGANISATIONS_FILE
                                    + ")"));
        }
        if (namesSite(site, zoneSoa)) {
            return new Attribution(
                    self(site, service),
                    Party.FIRST,
                    new Evidence(
                            record,
                            "first party: the SOA of " + zoneSoa.zone() + " names the site (" + zoneSoa.describe()
                                    + ")"));
        }
        String group = hostRegistrable.get();
        return new Attribution(
                new Provider(group, group, service, false),
                Party.UNKNOWN,
                new Evidence(record, "unknown: no dataset pattern matches; grouped by registrable domain " + group));
    }

    /** Attributes an address through the autonomous system that announces it; empty when the table has no entry. */
    public Optional<Attribution> attributeAddress(
            SiteIdentity site, Service service, InetAddress address, String record) {
        Optional<AsnRecord> network = asns.lookup(address);
        if (network.isEmpty()) {
            return Optional.empty();
        }
        AsnRecord as = network.get();
        Optional<Pattern> match = catalog.matchAsn(as.asn());
        if (match.isPresent()) {
            Pattern pattern = match.get();
            Provider provider = pattern.provider();
            String what = "AS" + as.asn() + " (" + as.organisation() + ")";
            if (pattern.organisation().domains().contains(site.registrable())) {
                return Optional.of(new Attribution(
                        provider,
                        Party.FIRST,
                        new Evidence(
                                record,
                                "first party: " + what + " is "
                                        + pattern.organisation().name() + ", which owns " + site.registrable() + " ("
                                        + pattern.describe() + ")")));
            }
            return Optional.of(new Attribution(
                    provider,
                    Party.THIRD,
                    new Evidence(record, "known provider: address in " + what + ", " + pattern.describe())));
        }
        return Optional.of(new Attribution(
                new Provider("as" + as.asn(), "AS" + as.asn() + " " + as.organisation(), service, false),
                Party.UNKNOWN,
                new Evidence(
                        record,
                        "unknown: address in AS" + as.asn() + " (" + as.organisation() + "), not in the datasets")));
    }

    private boolean namesSite(SiteIdentity site, ZoneSoa soa) {
        for (Optional<String> name : java.util.List.of(soa.primary(), soa.responsible())) {
            if (name.isEmpty()) {
                continue;
            }
            String value = canonical(name.get());
            if (organisationalDomainOf(value).equals(site.registrable())) {
                return true;
            }
        }
        return soa.primary().isPresent()
                && site.soaPrimary().isPresent()
                && canonical(soa.primary().get())
                        .equals(canonical(site.soaPrimary().get()))
                && soa.responsible()
                        .map(Attributor::canonical)
                        .equals(site.soaResponsible().map(Attributor::canonical));
    }

    private static Provider self(SiteIdentity site, Service service) {
        return new Provider(site.registrable(), site.registrable(), service, false);
    }

    private static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * The SOA names of the zone that holds a host, used by the last first-party rule.
     *
     * @param zone the zone apex, for the explanation
     * @param primary MNAME
     * @param responsible RNAME
     */
    public record ZoneSoa(String zone, Optional<String> primary, Optional<String> responsible) {
        /** No SOA seen. */
        public static ZoneSoa none() {
            return new ZoneSoa("", Optional.empty(), Optional.empty());
        }

        String describe() {
            return "MNAME " + primary.orElse("-") + ", RNAME " + responsible.orElse("-");
        }
    }

    private String organisationalDomainOf(String name) {
        return organisational.get(name, DomainName::organisationalDomainOf);
    }

    private Optional<Pattern> match(PatternKind kind, String name) {
        return matches.get(new MatchKey(kind, name), key -> catalog.match(key.kind(), key.name()));
    }

    /** A bounded memo; evictions run on the calling thread, not on the common pool. */
    private static <K, V> Cache<K, V> memo() {
        return Caffeine.newBuilder()
                .maximumSize(MEMO_ENTRIES)
                .executor(Runnable::run)
                .build();
    }
}
