package dev.chokepoint.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.dns.AddressResolution.Status;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class DnsCollectorTest {
    private ZoneServer server;

    @BeforeEach
    void start() throws Exception {
        server = World.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DnsCollector collector(Duration timeout) {
        DnsSettings settings = new DnsSettings(List.of(server.address()), timeout, 0);
        return new DnsCollector(new DnsjavaClient(DnsjavaClient.resolverFor(settings)));
    }

    private DnsObservation collect(String domain) {
        return collector(Duration.ofSeconds(2)).collect(DomainName.parse(domain));
    }

    private static Name name(String text) throws Exception {
        return Name.fromString(text, Name.root);
    }

    @Test
    void zoneApexAndNameserversAreCollectedWithTheirAddresses() throws Exception {
        DnsObservation observation = collect("multi.test");

        assertThat(observation.error()).isEmpty();
        ZoneInfo zone = observation.zone().orElseThrow();
        assertThat(zone.apex()).isEqualTo(name("multi.test"));
        assertThat(zone.nameservers()).containsExactly(name("ada.ns.cloudflare.com"), name("dns1.p01.nsone.net"));
        assertThat(observation
                        .nameserverAddresses()
                        .get(name("ada.ns.cloudflare.com"))
                        .addresses())
                .containsExactly(InetAddress.getByName("173.245.58.51"));
    }

    @Test
    void zoneApexIsFoundByWalkingUpFromANameInsideTheZone() throws Exception {
        DnsObservation observation = collect("shop.caa.test");

        assertThat(observation.zone().orElseThrow().apex()).isEqualTo(name("caa.test"));
        assertThat(observation.caa().orElseThrow().foundAt()).isEqualTo(name("caa.test"));
        assertThat(observation.caa().orElseThrow().records())
                .extracting(DnsObservation.CaaEntry::value)
                .containsExactly("letsencrypt.org", ";");
    }

    @Test
    void cnameChainIsFollowedHopByHopWhenTheServerGivesOnlyTheFirstHop() throws Exception {
        AddressResolution www = collect("long.test").entryPoints().get(1);

        assertThat(www.name()).isEqualTo(name("www.long.test"));
        assertThat(www.status()).isEqualTo(Status.RESOLVED);
        assertThat(www.aliases()).hasSize(10).startsWith(name("h1.long.test")).endsWith(name("h10.long.test"));
        assertThat(www.addresses()).containsExactly(InetAddress.getByName("203.0.113.11"));
        assertThat(server.queryLog()).contains("h5.long.test. A udp");
    }

    @Test
    void cnameChainIsTheSameWhenTheServerChasesItInOneAnswer() throws Exception {
        AddressResolution oneHopAtATime = collect("long.test").entryPoints().get(1);
        server.chaseCnames(true);
        server.clearQueryLog();

        AddressResolution chased = collect("long.test").entryPoints().get(1);

        assertThat(chased).isEqualTo(oneHopAtATime);
        assertThat(server.queryLog()).doesNotContain("h5.long.test. A udp");
    }

    @Test
    void cnameLoopEndsTheChainWithLoopStatus() {
        AddressResolution www = collect("loop.test").entryPoints().get(1);

        assertThat(www.status()).isEqualTo(Status.CNAME_LOOP);
        assertThat(www.aliases()).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void missingNameserverAddressIsRecordedAsNxdomain() throws Exception {
        DnsObservation observation = collect("lame.test");

        assertThat(observation.nameserverAddresses().get(name("ns1.gone.test")).status())
                .isEqualTo(Status.NXDOMAIN);
    }

    @Test
    void servfailOfANameserverAddressIsRecorded() throws Exception {
        server.servfailFor("ns2.loop.test");

        DnsObservation observation = collect("loop.test");

        assertThat(observation.nameserverAddresses().get(name("ns2.loop.test")).status())
                .isEqualTo(Status.SERVFAIL);
        assertThat(observation.nameserverAddresses().get(name("ns1.loop.test")).status())
                .isEqualTo(Status.RESOLVED);
    }

    @Test
    void mailExchangersTxtAndAddressesAreCollected() throws Exception {
        DnsObservation observation = collect("single.test");

        assertThat(observation.mailExchangers())
                .containsExactly(new DnsObservation.MailExchanger(1, name("aspmx.l.google.com")));
        assertThat(observation.mailAddresses().get(name("aspmx.l.google.com")).addresses())
                .containsExactly(InetAddress.getByName("142.250.153.26"));
        assertThat(observation.txt()).containsExactly("v=spf1 include:_spf.google.com ~all");
        assertThat(observation.caa()).isEmpty();
    }

    @Test
    void zonesOfOutsideNameserversAreCollectedOneLevelDeep() throws Exception {
        DnsObservation observation = collect("indirect.test");

        ZoneInfo hoster = observation.nameserverZones().get(name("hoster.test"));
        assertThat(hoster.nameservers()).containsExactly(name("kim.ns.cloudflare.com"), name("lou.ns.cloudflare.com"));
        assertThat(hoster.responsible()).contains(name("dns.cloudflare.com"));
        assertThat(observation.nameserverZones()).doesNotContainKey(name("cloudflare.com"));
    }

    @Test
    void truncatedAnswerIsRetriedOverTcp() {
        DnsObservation observation = collect("bigtxt.test");

        assertThat(observation.txt()).hasSize(41).contains("v=spf1 include:_spf.google.com -all");
        assertThat(server.queryLog()).contains("bigtxt.test. TXT udp", "bigtxt.test. TXT tcp");
    }

    @Test
    void nonexistentTargetIsAnErrorNamingNxdomain() {
        DnsObservation observation = collect("missing.nxd.test");

        assertThat(observation.error()).hasValueSatisfying(e -> assertThat(e).contains("NXDOMAIN"));
        assertThat(observation.failure().map(DnsFailure::kind)).contains(DnsFailure.Kind.NO_SUCH_DOMAIN);
    }

    @Test
    void aResolverErrorForTheSitesZoneIsAFailureOfItsOwnKind() {
        server.servfailFor("multi.test");

        DnsObservation observation = collect("multi.test");

        assertThat(observation.failure().map(DnsFailure::kind)).contains(DnsFailure.Kind.ERROR_ANSWER);
        assertThat(observation.error()).hasValueSatisfying(e -> assertThat(e).contains("SERVFAIL"));
    }

    @Test
    void silentResolverIsAnErrorAfterTheTimeoutNotAHang() {
        server.dropQueriesFor("multi.test");

        long start = System.nanoTime();
        DnsObservation observation = collector(Duration.ofMillis(200)).collect(DomainName.parse("multi.test"));

        assertThat(observation.error()).hasValueSatisfying(e -> assertThat(e).contains("no resolver answered"));
        assertThat(observation.failure().map(DnsFailure::kind)).contains(DnsFailure.Kind.NO_ANSWER);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void everyQuestionIsAskedOncePerClient() {
        collect("multi.test");

        long distinct = server.queryLog().stream().distinct().count();
        assertThat(server.queryLog()).hasSize((int) distinct);
    }
}
