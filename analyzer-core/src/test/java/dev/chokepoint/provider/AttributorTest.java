package dev.chokepoint.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import dev.chokepoint.provider.Attributor.ZoneSoa;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule chain over the fixture in {@code src/test/resources/catalog/}: organisations {@code cloudflare}
 * (cloudflare.com) and {@code google} (google.com, youtube.com); patterns AS13335 (cloudflare cdn, line 2),
 * ns.cloudflare.com (cloudflare dns, line 3) and google.com (google dns, line 4).
 */
class AttributorTest {
    private static final AsnRecord CLOUDFLARE_AS = new AsnRecord(13335, "Cloudflare, Inc.");
    private static final AsnRecord UNKNOWN_AS = new AsnRecord(64500, "Example Transit Ltd");
    private static final String RECORD = "example.com NS host";

    private static Attributor attributor;

    @BeforeAll
    static void buildAttributor() throws URISyntaxException {
        Path catalogDir = Path.of(AttributorTest.class
                        .getResource("/catalog/" + ProviderCatalog.PATTERNS_FILE)
                        .toURI())
                .getParent();
        AsnTable asns = AsnTable.of(
                "test",
                List.of(
                        new AsnTable.Range(ip("104.16.0.0"), ip("104.31.255.255"), CLOUDFLARE_AS),
                        new AsnTable.Range(ip("192.0.2.0"), ip("192.0.2.255"), UNKNOWN_AS),
                        new AsnTable.Range(
                                ip("2606:4700::"), ip("2606:4700:ffff:ffff:ffff:ffff:ffff:ffff"), CLOUDFLARE_AS)));
        attributor = new Attributor(ProviderCatalog.load(catalogDir), asns);
    }

    private static InetAddress ip(String literal) {
        return InetAddresses.forString(literal);
    }

    private static SiteIdentity site(String registrable) {
        return new SiteIdentity(registrable, registrable, Optional.empty(), Optional.empty());
    }

    private static Attribution ns(SiteIdentity site, String host, ZoneSoa soa) {
        return attributor.attributeHost(site, PatternKind.NS, Service.DNS, host, RECORD, soa);
    }

    private static Attribution ns(SiteIdentity site, String host) {
        return ns(site, host, ZoneSoa.none());
    }

    /** An SOA for the host's zone whose RNAME points into the site's domain: enough for rule 5 on its own. */
    private static ZoneSoa soaNaming(String siteDomain) {
        return new ZoneSoa("other-dns.net", Optional.of("ns1.other-dns.net."), Optional.of("hostmaster." + siteDomain));
    }

    // --- 1. same registrable domain ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ns1.example.com", "NS1.Example.COM.", "example.com", "a.b.c.example.com"})
    void hostWithTheSitesRegistrableDomainIsFirstParty(String host) {
        Attribution attribution = ns(site("example.com"), host);

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("example.com:dns");
        assertThat(attribution.provider().known()).isFalse();
        assertThat(attribution.evidence().rule()).startsWith("first party: same registrable domain as the site");
        assertThat(attribution.evidence().record()).isEqualTo(RECORD);
    }

    @Test
    void sameRegistrableDomainWinsOverAMatchingProviderPattern() {
        // ada.ns.cloudflare.com matches the ns.cloudflare.com pattern, and Cloudflare owns cloudflare.com, yet the
        // first rule decides: the site's own domain.
        Attribution attribution = ns(site("cloudflare.com"), "ada.ns.cloudflare.com");

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("cloudflare.com:dns");
        assertThat(attribution.provider().known()).isFalse();
        assertThat(attribution.evidence().rule())
                .contains("same registrable domain")
                .doesNotContain("ns suffix");
    }

    @Test
    void sameRegistrableDomainComparesWholeRegistrableDomainsNotSuffixes() {
        Attribution attribution = ns(site("example.com"), "ns1.myexample.com");

        assertThat(attribution.party()).isEqualTo(Party.UNKNOWN);
        assertThat(attribution.provider().id()).isEqualTo("myexample.com:dns");
    }

    @Test
    void sameRegistrableDomainUsesThePublicSuffixListsPrivateSection() {
        Attribution attribution = ns(site("alice.github.io"), "ns1.bob.github.io");

        assertThat(attribution.party()).isEqualTo(Party.UNKNOWN);
        assertThat(attribution.provider().id()).isEqualTo("bob.github.io:dns");
    }

    // --- 2. the provider's organisation owns the site ---

    @Test
    void matchedProviderWhoseOrganisationOwnsTheSiteIsFirstParty() {
        Attribution attribution = ns(site("youtube.com"), "ns1.google.com");

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("google:dns");
        assertThat(attribution.provider().known()).isTrue();
        assertThat(attribution.evidence().rule())
                .isEqualTo("first party: youtube.com belongs to Google, which operates it"
                        + " (ns suffix google.com (patterns.csv:4))");
    }

    @Test
    void organisationOwningTheSiteWinsOverAnSoaThatNamesTheSite() {
        Attribution attribution = ns(site("youtube.com"), "ns1.google.com", soaNaming("youtube.com"));

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("google:dns");
        assertThat(attribution.evidence().rule()).contains("belongs to Google");
    }

    // --- 3. known provider pattern ---

    @Test
    void hostMatchingAProviderPatternIsThirdParty() {
        Attribution attribution = ns(site("example.com"), "ada.ns.cloudflare.com.");

        assertThat(attribution.party()).isEqualTo(Party.THIRD);
        assertThat(attribution.provider().id()).isEqualTo("cloudflare:dns");
        assertThat(attribution.provider().name()).isEqualTo("Cloudflare");
        assertThat(attribution.provider().known()).isTrue();
        assertThat(attribution.evidence().rule())
                .isEqualTo("known provider: ns suffix ns.cloudflare.com [Cloudflare DNS] (patterns.csv:3)");
    }

    @Test
    void providerPatternWinsOverTheOrganisationDomainRuleAndTheSoaRule() {
        // ada.ns.cloudflare.com is also under cloudflare.com (rule 4) and its zone's SOA names the site (rule 5).
        Attribution attribution = ns(site("example.com"), "ada.ns.cloudflare.com", soaNaming("example.com"));

        assertThat(attribution.party()).isEqualTo(Party.THIRD);
        assertThat(attribution.provider().id()).isEqualTo("cloudflare:dns");
        assertThat(attribution.evidence().rule()).startsWith("known provider: ns suffix ns.cloudflare.com");
    }

    @Test
    void attributedServiceIsTheOneTheHostProvidesToTheSite() {
        Attribution attribution = attributor.attributeHost(
                site("example.com"), PatternKind.NS, Service.WEB, "ada.ns.cloudflare.com", RECORD, ZoneSoa.none());

        assertThat(attribution.provider().id()).isEqualTo("cloudflare:web");
    }

    @Test
    void patternOfAnotherKindDoesNotApply() {
        // ns.cloudflare.com is an ns pattern; as a CNAME target the host falls to the organisation domain rule.
        Attribution attribution = attributor.attributeHost(
                site("example.com"), PatternKind.CNAME, Service.WEB, "ada.ns.cloudflare.com", RECORD, ZoneSoa.none());

        assertThat(attribution.party()).isEqualTo(Party.THIRD);
        assertThat(attribution.provider().id()).isEqualTo("cloudflare:web");
        assertThat(attribution.evidence().rule()).contains("cloudflare.com is a domain of Cloudflare");
    }

    // --- 4. host under an organisation's own domain ---

    @Test
    void hostUnderAnOrganisationsDomainWithoutAPatternIsThatOrganisations() {
        Attribution attribution = ns(site("example.com"), "ns3.cloudflare.com");

        assertThat(attribution.party()).isEqualTo(Party.THIRD);
        assertThat(attribution.provider().id()).isEqualTo("cloudflare:dns");
        assertThat(attribution.provider().known()).isTrue();
        assertThat(attribution.evidence().rule())
                .isEqualTo("known provider: cloudflare.com is a domain of Cloudflare (organisations.csv)");
    }

    @Test
    void organisationDomainRuleWinsOverAnSoaThatNamesTheSite() {
        Attribution attribution = ns(site("example.com"), "ns3.cloudflare.com", soaNaming("example.com"));

        assertThat(attribution.party()).isEqualTo(Party.THIRD);
        assertThat(attribution.provider().id()).isEqualTo("cloudflare:dns");
        assertThat(attribution.evidence().rule()).contains("is a domain of Cloudflare");
    }

    @Test
    void hostUnderAnotherDomainOfTheSitesOwnOrganisationIsFirstParty() {
        Attribution attribution = attributor.attributeHost(
                site("google.com"), PatternKind.MX, Service.MAIL, "mx.youtube.com", RECORD, ZoneSoa.none());

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("google:mail");
        assertThat(attribution.evidence().rule())
                .isEqualTo("first party: youtube.com is a domain of Google (organisations.csv)");
    }

    // --- 5. the SOA of the host's zone names the site ---

    @Test
    void hostWhoseZoneSoaRnameIsInTheSitesDomainIsFirstParty() {
        ZoneSoa soa =
                new ZoneSoa("corp-dns.net", Optional.of("ns1.corp-dns.net"), Optional.of("hostmaster.example.com"));

        Attribution attribution = ns(site("example.com"), "ns1.corp-dns.net", soa);

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("example.com:dns");
        assertThat(attribution.provider().known()).isFalse();
        assertThat(attribution.evidence().rule())
                .isEqualTo("first party: the SOA of corp-dns.net names the site"
                        + " (MNAME ns1.corp-dns.net, RNAME hostmaster.example.com)");
    }

    @Test
    void hostWhoseZoneSoaMnameIsInTheSitesDomainIsFirstParty() {
        ZoneSoa soa = new ZoneSoa("corp-dns.net", Optional.of("NS.Example.COM."), Optional.of("dns.corp-dns.net."));

        Attribution attribution = ns(site("example.com"), "ns1.corp-dns.net", soa);

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.evidence().rule()).startsWith("first party: the SOA of corp-dns.net names the site");
    }

    @Test
    void hostWhoseZoneSoaEqualsTheSitesOwnSoaIsFirstParty() {
        SiteIdentity site = new SiteIdentity(
                "example.com", "example.com", Optional.of("ns1.corp-dns.net"), Optional.of("hostmaster.corp-dns.net"));
        ZoneSoa soa =
                new ZoneSoa("corp-dns.net", Optional.of("NS1.corp-dns.net."), Optional.of("hostmaster.corp-dns.net"));

        Attribution attribution = ns(site, "ns1.corp-dns.net", soa);

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("example.com:dns");
    }

    // One attributor serves a whole batch and memoises what it reads of each name: nothing that depends on the site.
    @Test
    void theSameHostIsJudgedAfreshForEachSite() {
        ZoneSoa soa =
                new ZoneSoa("corp-dns.net", Optional.of("ns1.corp-dns.net"), Optional.of("hostmaster.example.com"));
        SiteIdentity sameSoa = new SiteIdentity(
                "other.org", "other.org", Optional.of("ns1.corp-dns.net."), Optional.of("Hostmaster.Example.com"));

        assertThat(ns(site("example.com"), "ns1.corp-dns.net", soa).party()).isEqualTo(Party.FIRST);
        assertThat(ns(site("other.org"), "ns1.corp-dns.net", soa).party()).isEqualTo(Party.UNKNOWN);
        assertThat(ns(sameSoa, "ns1.corp-dns.net", soa).party()).isEqualTo(Party.FIRST);
        assertThat(ns(site("corp-dns.net"), "ns1.corp-dns.net", soa).party()).isEqualTo(Party.FIRST);
        assertThat(ns(site("example.com"), "ns1.corp-dns.net", soa).provider().id())
                .isEqualTo("example.com:dns");
        ZoneSoa elsewhere =
                new ZoneSoa("corp-dns.net", Optional.of("ns1.corp-dns.net"), Optional.of("hostmaster.corp-dns.net"));
        assertThat(ns(site("example.com"), "ns1.corp-dns.net", elsewhere).party())
                .isEqualTo(Party.UNKNOWN);
        assertThat(ns(site("cloudflare.com"), "ana.ns.cloudflare.com").party()).isEqualTo(Party.FIRST);
        assertThat(ns(site("other.org"), "ana.ns.cloudflare.com").party()).isEqualTo(Party.THIRD);
    }

    // Both SOA names are compared in canonical form (case, trailing dot), the RNAME as well as the MNAME.
    @Test
    void sameSoaAsTheSitesIsRecognisedWhateverTheCaseAndTrailingDotOfTheRname() {
        SiteIdentity site = new SiteIdentity(
                "example.com", "example.com", Optional.of("ns1.corp-dns.net"), Optional.of("hostmaster.corp-dns.net"));
        ZoneSoa soa =
                new ZoneSoa("corp-dns.net", Optional.of("ns1.corp-dns.net"), Optional.of("Hostmaster.Corp-DNS.net."));

        Attribution attribution = ns(site, "ns1.corp-dns.net", soa);

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
    }

    @Test
    void soaThatMatchesTheSitesOnlyInMnameIsNotEnough() {
        SiteIdentity site = new SiteIdentity(
                "example.com", "example.com", Optional.of("ns1.corp-dns.net"), Optional.of("hostmaster.corp-dns.net"));
        ZoneSoa soa = new ZoneSoa("corp-dns.net", Optional.of("ns1.corp-dns.net"), Optional.of("admin.corp-dns.net"));

        Attribution attribution = ns(site, "ns1.corp-dns.net", soa);

        assertThat(attribution.party()).isEqualTo(Party.UNKNOWN);
    }

    @Test
    void soaThatDoesNotNameTheSiteLeavesTheHostUnknown() {
        ZoneSoa soa =
                new ZoneSoa("corp-dns.net", Optional.of("ns1.corp-dns.net"), Optional.of("hostmaster.corp-dns.net"));

        Attribution attribution = ns(site("example.com"), "ns1.corp-dns.net", soa);

        assertThat(attribution.party()).isEqualTo(Party.UNKNOWN);
        assertThat(attribution.provider().id()).isEqualTo("corp-dns.net:dns");
    }

    // --- 6. unknown ---

    @Test
    void unknownHostsAreGroupedByTheirRegistrableDomain() {
        Attribution first = ns(site("example.com"), "ns1.tiny-dns.net");
        Attribution second = ns(site("example.com"), "NS2.tiny-dns.net.");

        assertThat(first.party()).isEqualTo(Party.UNKNOWN);
        assertThat(second.party()).isEqualTo(Party.UNKNOWN);
        assertThat(first.provider().id()).isEqualTo("tiny-dns.net:dns");
        assertThat(second.provider()).isEqualTo(first.provider());
        assertThat(first.provider().name()).isEqualTo("tiny-dns.net");
        assertThat(first.provider().known()).isFalse();
        assertThat(first.evidence().rule())
                .isEqualTo("unknown: no dataset pattern matches; grouped by registrable domain tiny-dns.net");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ns1.dns.example.co.uk, example.co.uk:dns",
        "ns1.dns.corp.internal, corp.internal:dns",
        "ns1.other-dns.net, other-dns.net:dns",
    })
    void unknownHostGroupIsTheRegistrableDomainOrTheLastTwoLabels(String host, String provider) {
        assertThat(ns(site("example.com"), host).provider().id()).isEqualTo(provider);
    }

    // Guava calls a name with a leading underscore invalid; grouping must still follow the Public Suffix List, or
    // _spf.example.co.uk would be grouped under co.uk and every _spf.<anything>.co.uk merged into one provider.
    @Test
    void underscoreHostInTheSitesOwnDomainIsFirstPartyUnderAMultiLabelSuffix() {
        Attribution attribution = attributor.attributeHost(
                site("example.co.uk"),
                PatternKind.SPF,
                Service.SENDING,
                "_spf.example.co.uk",
                "example.co.uk TXT v=spf1 include:_spf.example.co.uk -all",
                ZoneSoa.none());

        assertThat(attribution.party()).isEqualTo(Party.FIRST);
        assertThat(attribution.provider().id()).isEqualTo("example.co.uk:sending");
    }

    @Test
    void unknownUnderscoreHostsOfDifferentOwnersAreNotMergedIntoThePublicSuffix() {
        Attribution first = attributor.attributeHost(
                site("example.com"), PatternKind.SPF, Service.SENDING, "_spf.mailer-one.co.uk", RECORD, ZoneSoa.none());
        Attribution second = attributor.attributeHost(
                site("example.com"), PatternKind.SPF, Service.SENDING, "_spf.mailer-two.co.uk", RECORD, ZoneSoa.none());

        assertThat(first.provider().id()).isEqualTo("mailer-one.co.uk:sending");
        assertThat(second.provider().id()).isEqualTo("mailer-two.co.uk:sending");
    }

    // --- addresses ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"104.16.132.229", "104.31.255.255", "2606:4700::6810:84e5"})
    void addressInAKnownAsIsTheProvidersService(String address) {
        Optional<Attribution> attribution = attributor.attributeAddress(
                site("example.com"), Service.WEB, ip(address), "www.example.com A " + address);

        assertThat(attribution).hasValueSatisfying(a -> {
            assertThat(a.party()).isEqualTo(Party.THIRD);
            assertThat(a.provider().id()).isEqualTo("cloudflare:cdn");
            assertThat(a.provider().known()).isTrue();
            assertThat(a.evidence().record()).isEqualTo("www.example.com A " + address);
            assertThat(a.evidence().rule())
                    .isEqualTo("known provider: address in AS13335 (Cloudflare, Inc.), asn AS13335 (patterns.csv:2)");
        });
    }

    @Test
    void addressInTheSiteOrganisationsOwnAsIsFirstParty() {
        Optional<Attribution> attribution =
                attributor.attributeAddress(site("cloudflare.com"), Service.WEB, ip("104.16.1.1"), RECORD);

        assertThat(attribution).hasValueSatisfying(a -> {
            assertThat(a.party()).isEqualTo(Party.FIRST);
            assertThat(a.provider().id()).isEqualTo("cloudflare:cdn");
            assertThat(a.evidence().rule()).startsWith("first party: AS13335 (Cloudflare, Inc.) is Cloudflare");
        });
    }

    @Test
    void addressInAnAsNotInTheDatasetsIsUnknownAndNamedByTheTable() {
        Optional<Attribution> attribution =
                attributor.attributeAddress(site("example.com"), Service.HOSTING, ip("192.0.2.10"), RECORD);

        assertThat(attribution).hasValueSatisfying(a -> {
            assertThat(a.party()).isEqualTo(Party.UNKNOWN);
            assertThat(a.provider().id()).isEqualTo("as64500:hosting");
            assertThat(a.provider().name()).isEqualTo("AS64500 Example Transit Ltd");
            assertThat(a.provider().known()).isFalse();
            assertThat(a.evidence().rule())
                    .isEqualTo("unknown: address in AS64500 (Example Transit Ltd), not in the datasets");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"198.51.100.1", "104.32.0.0", "2001:db8::1"})
    void addressNotInTheTableHasNoAttribution(String address) {
        assertThat(attributor.attributeAddress(site("example.com"), Service.WEB, ip(address), RECORD))
                .isEmpty();
    }

    @Test
    void emptyAsnTableAttributesNoAddress() {
        Attributor withoutAsns = new Attributor(attributor.catalog(), AsnTable.empty());

        assertThat(withoutAsns.attributeAddress(site("example.com"), Service.WEB, ip("104.16.1.1"), RECORD))
                .isEmpty();
    }
}
