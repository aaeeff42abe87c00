package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.Severity;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.provider.Party;
import dev.chokepoint.provider.Service;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole pipeline on the test world: one site per finding, checked for what it must and must not report. */
class AuditorTest {
    private static ZoneServer server;
    private static Auditor auditor;

    @BeforeAll
    static void start() throws Exception {
        server = World.start();
        DnsSettings settings = new DnsSettings(List.of(server.address()), Duration.ofSeconds(2), 0);
        auditor = new Auditor(
                new DnsjavaClient(DnsjavaClient.resolverFor(settings)),
                World.datasets().attributor());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SiteAssessment audit(String domain) {
        AuditResult result = auditor.audit(domain, DomainName.parse(domain));
        assertThat(result.error()).as("audit error").isEmpty();
        return result.assessment().orElseThrow();
    }

    private static List<String> ids(SiteAssessment site) {
        return site.findings().stream().map(Finding::id).toList();
    }

    private static Finding finding(SiteAssessment site, String id) {
        return site.findings().stream()
                .filter(f -> f.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + ids(site)));
    }

    private static ServiceAssessment service(SiteAssessment site, Service service) {
        return site.services().stream()
                .filter(s -> s.service() == service)
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + " not assessed"));
    }

    @Test
    void singleProviderSiteIsCriticalForDnsCdnAndMail() {
        SiteAssessment site = audit("single.test");

        assertThat(service(site, Service.DNS).critical()).isTrue();
        assertThat(service(site, Service.DNS).providers())
                .extracting(p -> p.provider().id())
                .containsExactly("cloudflare:dns");
        assertThat(service(site, Service.CDN).critical()).isTrue();
        assertThat(service(site, Service.MAIL).critical()).isTrue();
        assertThat(ids(site))
                .containsExactlyInAnyOrder(
                        "dns-single-provider",
                        "dns-same-asn",
                        "cdn-single-provider",
                        "mail-single-provider",
                        "caa-missing");
        assertThat(finding(site, "dns-single-provider").severity()).isEqualTo(Severity.HIGH);
        assertThat(finding(site, "dns-single-provider").subject()).isEqualTo("Cloudflare DNS");
    }

    @Test
    void scoreTakesEachFindingsPenaltyOffOneHundred() {
        SiteAssessment site = audit("single.test");

        int penalties =
                site.findings().stream().mapToInt(f -> f.severity().penalty()).sum();
        assertThat(site.score()).isEqualTo(100 - penalties).isEqualTo(35);
    }

    @Test
    void twoDnsProvidersAreRedundantAndNotCritical() {
        SiteAssessment site = audit("multi.test");

        ServiceAssessment dns = service(site, Service.DNS);
        assertThat(dns.critical()).isFalse();
        assertThat(dns.redundant()).isTrue();
        assertThat(dns.providers()).extracting(p -> p.provider().id()).contains("cloudflare:dns", "ns1:dns");
        assertThat(ids(site)).doesNotContain("dns-single-provider", "dns-same-asn", "dns-same-prefix", "caa-missing");
        ServiceAssessment mail = service(site, Service.MAIL);
        assertThat(mail.critical()).isFalse();
        assertThat(mail.providers()).anySatisfy(p -> assertThat(p.party()).isEqualTo(Party.FIRST));
    }

    @Test
    void singleNameserverIsFlagged() {
        SiteAssessment site = audit("onens.test");

        assertThat(finding(site, "dns-few-nameservers").severity()).isEqualTo(Severity.HIGH);
        assertThat(service(site, Service.DNS).critical()).isFalse();
    }

    @Test
    void nameserversThatDoNotResolveAreCriticalWhenNoneResolves() {
        SiteAssessment site = audit("lame.test");

        assertThat(site.findings())
                .filteredOn(f -> f.id().equals("dns-nameserver-unresolved"))
                .hasSize(2)
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void oneNameserverThatDoesNotResolveIsMedium() {
        SiteAssessment site = audit("partial.test");

        Finding finding = finding(site, "dns-nameserver-unresolved");
        assertThat(finding.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(finding.subject()).isEqualTo("ns9.gone.test");
    }

    @Test
    void nameserversInOneSlash24AndOneAsnAreFlagged() {
        SiteAssessment site = audit("prefix.test");

        assertThat(finding(site, "dns-same-prefix").subject()).isEqualTo("203.0.113.0/24");
        assertThat(finding(site, "dns-same-asn").subject()).isEqualTo("AS64500 Example Hosting");
        assertThat(ids(audit("soaself.test"))).doesNotContain("dns-same-prefix", "dns-same-asn");
    }

    @Test
    void cnameLoopIsCritical() {
        SiteAssessment site = audit("loop.test");

        Finding loop = finding(site, "cname-loop");
        assertThat(loop.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(loop.subject()).isEqualTo("www.loop.test");
    }

    @Test
    void cnameChainLongerThanEightIsFlagged() {
        SiteAssessment site = audit("long.test");

        assertThat(finding(site, "cname-chain-long").message()).contains("10 hops");
        assertThat(ids(site)).doesNotContain("cname-loop");
    }

    @Test
    void siteWithoutAddressesHasNoWeb() {
        assertThat(finding(audit("noweb.test"), "web-unresolved").severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void danglingWwwAliasIsAnUnresolvedEntryAndDeadMailExchangerIsFlagged() {
        SiteAssessment site = audit("dangling.test");

        Finding entry = finding(site, "web-entry-unresolved");
        assertThat(entry.subject()).isEqualTo("www.dangling.test");
        assertThat(entry.severity()).isEqualTo(Severity.HIGH);
        assertThat(finding(site, "mail-exchanger-unresolved").subject()).isEqualTo("mail.gone.test");
        assertThat(service(site, Service.MAIL).critical()).isFalse();
    }

    @Test
    void webOnOneUnknownNetworkIsASingleHostingProvider() {
        SiteAssessment site = audit("multi.test");

        ServiceAssessment hosting = service(site, Service.HOSTING);
        assertThat(hosting.critical()).isTrue();
        assertThat(hosting.providers()).singleElement().satisfies(p -> {
            assertThat(p.provider().id()).isEqualTo("as64500:hosting");
            assertThat(p.party()).isEqualTo(Party.UNKNOWN);
        });
        Finding finding = finding(site, "hosting-single-provider");
        assertThat(finding.severity()).isEqualTo(Severity.LOW);
        assertThat(finding.subject()).isEqualTo("AS64500 Example Hosting hosting");
    }

    @Test
    void caaAtAParentCountsAndMissingCaaIsLow() {
        assertThat(ids(audit("shop.caa.test"))).doesNotContain("caa-missing");
        assertThat(finding(audit("single.test"), "caa-missing").severity()).isEqualTo(Severity.LOW);
    }

    @Test
    void dnsProviderThatSitsOnAnotherProviderIsAnIndirectSinglePointOfFailure() {
        SiteAssessment site = audit("indirect.test");

        ServiceAssessment dns = service(site, Service.DNS);
        assertThat(dns.providers())
                .filteredOn(p -> p.provider().id().equals("cloudflare:dns"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.indirect()).isTrue();
                    assertThat(p.singlePointOfFailure()).isTrue();
                });
        Finding indirect = finding(site, "dns-indirect-dependency");
        assertThat(indirect.severity()).isEqualTo(Severity.HIGH);
        assertThat(indirect.message()).contains("ns1.hoster.test").contains("Cloudflare DNS");
        assertThat(finding(site, "dns-single-provider").message())
                .contains("hoster.test")
                .contains("not in the datasets");
    }

    @Test
    void indirectDependencyWithAnotherPathLeftIsLow() {
        SiteAssessment site = audit("indirectsoft.test");

        assertThat(finding(site, "dns-indirect-dependency").severity()).isEqualTo(Severity.LOW);
        assertThat(service(site, Service.DNS).critical()).isFalse();
    }

    @Test
    void nameserverWhoseZoneSoaNamesTheSiteIsFirstParty() {
        SiteAssessment site = audit("soaself.test");

        ServiceAssessment dns = service(site, Service.DNS);
        assertThat(dns.providers()).allSatisfy(p -> assertThat(p.party()).isEqualTo(Party.FIRST));
        assertThat(dns.critical()).isFalse();
        assertThat(dns.providers().getFirst().evidence().getFirst().rule()).contains("SOA");
    }

    @Test
    void providerOwningTheSiteIsFirstParty() {
        SiteAssessment site = audit("youtube.com");

        ServiceAssessment dns = service(site, Service.DNS);
        assertThat(dns.providers()).extracting(p -> p.provider().id()).containsOnly("google:dns");
        assertThat(dns.providers()).allSatisfy(p -> assertThat(p.party()).isEqualTo(Party.FIRST));
        assertThat(dns.critical()).isFalse();
        assertThat(ids(site)).doesNotContain("dns-single-provider");
    }

    @Test
    void everyAttributionCarriesItsRecordAndRule() {
        SiteAssessment site = audit("single.test");

        assertThat(site.services()).allSatisfy(s -> assertThat(s.providers()).allSatisfy(p -> {
            assertThat(p.evidence()).isNotEmpty();
            assertThat(p.evidence()).allSatisfy(e -> {
                assertThat(e.record()).isNotBlank();
                assertThat(e.rule()).isNotBlank();
            });
        }));
    }
}
