package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.ProviderUse;
import dev.chokepoint.assess.ServiceAssessment;
import dev.chokepoint.assess.Severity;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.dns.DnsSettings;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.JsonReport;
import dev.chokepoint.graph.WebFacts;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.provider.EntityMap;
import dev.chokepoint.provider.ProviderCatalog;
import dev.chokepoint.provider.Service;
import dev.chokepoint.snapshot.RecordingResolver;
import dev.chokepoint.snapshot.RecordingWebClient;
import dev.chokepoint.snapshot.WarcRecorder;
import dev.chokepoint.snapshot.WarcSnapshot;
import dev.chokepoint.target.DomainName;
import dev.chokepoint.testdns.World;
import dev.chokepoint.testdns.ZoneServer;
import dev.chokepoint.testweb.HttpsTestServer;
import dev.chokepoint.testweb.TestCa;
import dev.chokepoint.web.ConnectTo;
import dev.chokepoint.web.HttpExchange;
import dev.chokepoint.web.OkHttpWebClient;
import dev.chokepoint.web.WebClient;
import dev.chokepoint.web.WebSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Resolver;

/** The web layer end to end: loopback DNS for names, a loopback HTTPS server with a test CA for pages. */
class WebAuditTest {
    private static final Path PAGES = World.root().resolve("analyzer-core/src/test/resources/webworld/pages");
    private static ZoneServer dns;
    private static TestCa ca;
    private static Datasets datasets;
    private final List<HttpsTestServer> servers = new ArrayList<>();
    private final List<String> guardViolations = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startDns() throws Exception {
        dns = ZoneServer.start(World.root().resolve("analyzer-core/src/test/resources/webworld"));
        ca = TestCa.create("Chokepoint Test CA");
        datasets = new Datasets(
                ProviderCatalog.load(World.root().resolve("datasets/providers")),
                World.asnTable(),
                EntityMap.load(World.root().resolve("datasets/entities")));
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @AfterEach
    void stopServers() {
        servers.forEach(HttpsTestServer::close);
        assertThat(guardViolations).as("requests without a loopback mapping").isEmpty();
    }

    private HttpsTestServer https(TestCa.Issued certificate) {
        HttpsTestServer server = HttpsTestServer.start(certificate);
        servers.add(server);
        return server;
    }

    private static ConnectTo to(String host, int port, int targetPort) {
        return new ConnectTo(host, port, InetAddress.getLoopbackAddress(), targetPort);
    }

    private static WebSettings settings(boolean trustTestCa, List<ConnectTo> connectTo) {
        WebSettings d = WebSettings.defaults();
        return new WebSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                d.maxBodyBytes(),
                d.maxRedirects(),
                d.maxResources(),
                d.maxStylesheets(),
                d.maxThirdPartyHosts(),
                true,
                trustTestCa ? List.of(ca.certificate()) : List.of(),
                connectTo);
    }

    /** {@code base} with other time and size limits, everything else kept. */
    private static WebSettings limited(WebSettings base, Duration request, Duration site, long maxBodyBytes) {
        return new WebSettings(
                request,
                site,
                maxBodyBytes,
                base.maxRedirects(),
                base.maxResources(),
                base.maxStylesheets(),
                base.maxThirdPartyHosts(),
                base.allowPrivate(),
                base.trustAnchors(),
                base.connectTo());
    }

    /** Refuses, and remembers, any request whose host has no loopback mapping: tests never leave 127.0.0.0/8. */
    private WebClient guarded(WebClient client, WebSettings settings) {
        return (url, addresses, timeout, maxBytes) -> {
            int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
            boolean mapped =
                    settings.connectTo().stream().anyMatch(c -> c.host().equals(url.getHost()) && c.port() == port);
            if (!mapped) {
                guardViolations.add(url.toString());
                return HttpExchange.failed(url, Instant.now(), Optional.empty(), "test guard: not mapped to loopback");
            }
            return client.get(url, addresses, timeout, maxBytes);
        };
    }

    private static Resolver resolver() {
        return DnsjavaClient.resolverFor(new DnsSettings(List.of(dns.address()), Duration.ofSeconds(2), 0));
    }

    private SiteAssessment audit(String site, WebSettings settings) {
        AuditResult result =
                auditor(resolver(), new OkHttpWebClient(settings), settings).audit(site, DomainName.parse(site));
        assertThat(result.error()).isEmpty();
        return result.assessment().orElseThrow();
    }

    private Auditor auditor(Resolver resolver, WebClient client, WebSettings settings) {
        return new Auditor(new DnsjavaClient(resolver), datasets.attributor(), guarded(client, settings), settings);
    }

    private HttpsTestServer shop() throws Exception {
        HttpsTestServer server = https(ca.issue(List.of("shop.web.test", "www.shop.web.test")));
        server.page(
                "/",
                Files.readString(PAGES.resolve("shop.html")),
                Map.of("Server", "cloudflare", "CF-Ray", "8f00aa00bb00cc00-AMS"));
        server.resource("/static/site.css", "text/css", Files.readAllBytes(PAGES.resolve("site.css")));
        return server;
    }

    private static WebFacts.Resource resource(SiteAssessment site, String urlPart, String kind) {
        return site.resources().stream()
                .filter(r -> r.url().contains(urlPart) && r.kind().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + urlPart + " not in " + site.resources()));
    }

    private static List<Finding> findings(SiteAssessment site, String id) {
        return site.findings().stream().filter(f -> f.id().equals(id)).toList();
    }

    private static ServiceAssessment service(SiteAssessment site, Service service) {
        return site.services().stream()
                .filter(s -> s.service() == service)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void pageResourcesAreListedWithTheirBlockingFlagsAndProviders() throws Exception {
        HttpsTestServer server = shop();
        SiteAssessment site = audit("shop.web.test", settings(true, List.of(to("shop.web.test", 443, server.port()))));

        assertThat(resource(site, "jquery.min.js", "script")).satisfies(r -> {
            assertThat(r.blocking()).isTrue();
            assertThat(r.thirdParty()).isTrue();
            assertThat(r.providerId()).isEqualTo("jsdelivr:content");
        });
        assertThat(resource(site, "bootstrap.bundle", "script")).satisfies(r -> {
            assertThat(r.blocking()).isFalse();
            assertThat(r.integrity()).isTrue();
        });
        assertThat(resource(site, "gtag/js", "script").blocking()).isFalse();
        assertThat(resource(site, "gtm.js", "inline-reference").inferred()).isTrue();
        assertThat(resource(site, "family=Inter", "stylesheet")).satisfies(r -> {
            assertThat(r.blocking()).isTrue();
            assertThat(r.providerId()).isEqualTo("google:content");
        });
        assertThat(resource(site, "family=Roboto", "css-import").blocking())
                .as("imported by a blocking sheet")
                .isTrue();
        assertThat(resource(site, "brand.woff2", "font").blocking()).isFalse();
        assertThat(resource(site, "/static/site.css", "stylesheet").thirdParty())
                .isFalse();
        assertThat(resource(site, "youtube-nocookie", "iframe").blocking()).isFalse();
        assertThat(resource(site, "widget.js", "script").providerId()).isEqualTo("legacy-cdn.test:content");
    }

    @Test
    void blockingThirdPartiesAreHardDependenciesWithTheirOwnCdnAndDns() throws Exception {
        HttpsTestServer server = shop();
        SiteAssessment site = audit("shop.web.test", settings(true, List.of(to("shop.web.test", 443, server.port()))));

        ServiceAssessment content = service(site, Service.CONTENT);
        assertThat(content.critical()).isTrue();
        assertThat(content.providers())
                .filteredOn(ProviderUse::singlePointOfFailure)
                .extracting(p -> p.provider().id())
                .contains("jsdelivr:content", "google:content", "cloudflare:cdn", "cloudflare:dns");
        assertThat(content.providers())
                .filteredOn(p -> p.provider().id().equals("cloudflare:cdn"))
                .singleElement()
                .satisfies(p -> assertThat(p.indirect()).isTrue());
        assertThat(findings(site, "blocking-third-party-resource"))
                .extracting(Finding::subject, Finding::severity)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("jsDelivr page content", Severity.HIGH),
                        org.assertj.core.groups.Tuple.tuple("Google page content", Severity.MEDIUM));
        assertThat(findings(site, "mixed-content"))
                .extracting(Finding::severity)
                .containsExactlyInAnyOrder(Severity.HIGH, Severity.MEDIUM);
        assertThat(findings(site, "missing-subresource-integrity")).hasSize(1);
        assertThat(findings(site, "cdn-single-provider")).singleElement().satisfies(f -> assertThat(f.subject())
                .isEqualTo("Cloudflare CDN"));
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.serverName()).contains("shop.web.test"));
    }

    @Test
    void certificateIssuerIsTheSitesCaAndATrustedCertificateIsNoFinding() throws Exception {
        HttpsTestServer server = shop();
        SiteAssessment site = audit("shop.web.test", settings(true, List.of(to("shop.web.test", 443, server.port()))));

        assertThat(service(site, Service.CA).providers())
                .extracting(p -> p.provider().name())
                .contains("Chokepoint Test CA");
        assertThat(site.findings()).extracting(Finding::id).noneMatch(id -> id.startsWith("certificate-"));
    }

    @Test
    void replayOfARecordedWebAuditEqualsTheLiveOne() throws Exception {
        HttpsTestServer server = shop();
        WebSettings settings = settings(true, List.of(to("shop.web.test", 443, server.port())));
        Path warc = dir.resolve("web.warc.gz");
        String live;
        try (WarcRecorder recorder = WarcRecorder.create(warc, Map.of())) {
            Auditor auditor = auditor(
                    new RecordingResolver(resolver(), recorder, Optional.empty()),
                    new RecordingWebClient(new OkHttpWebClient(settings), recorder),
                    settings);
            live = JsonReport.toJson(
                            List.of(auditor.audit("shop.web.test", DomainName.parse("shop.web.test"))), datasets)
                    .toPrettyString();
        }
        server.close();
        WarcSnapshot snapshot = WarcSnapshot.read(warc);
        String replayed = replay(snapshot, settings, "shop.web.test");
        // Replayed without --allow-private, the fetches the recording made are still what it saw: nothing is sent.
        String replayedRefusing = replay(snapshot, settings.withAllowPrivate(false), "shop.web.test");

        assertThat(snapshot.httpExchanges()).isGreaterThanOrEqualTo(2);
        assertThat(replayed).isEqualTo(live).contains("\"resources\"", "jsdelivr:content");
        assertThat(replayedRefusing).isEqualTo(live);
    }

    /** The JSON report of an audit of {@code site} replayed from {@code snapshot}. */
    private String replay(WarcSnapshot snapshot, WebSettings settings, String site) {
        return JsonReport.toJson(
                        List.of(new Auditor(new DnsjavaClient(snapshot), datasets.attributor(), snapshot, settings)
                                .audit(site, DomainName.parse(site))),
                        datasets)
                .toPrettyString();
    }

    @Test
    void plainHttpFallbackWhenHttpsCannotConnectIsAFinding() throws Exception {
        HttpsTestServer plain = HttpsTestServer.startPlainHttp();
        servers.add(plain);
        plain.page("/", "<!doctype html><title>plain</title>");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        SiteAssessment site = audit(
                "plain.web.test",
                settings(true, List.of(to("plain.web.test", 443, closed), to("plain.web.test", 80, plain.port()))));

        assertThat(findings(site, "https-unavailable")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.message()).contains("http://plain.web.test/");
        });
    }

    @Test
    void expiredCertificateIsCritical() throws Exception {
        TestCa.Issued expired = ca.issue(
                List.of("expired.web.test"),
                Instant.now().minus(Duration.ofDays(100)),
                Instant.now().minus(Duration.ofDays(10)));
        HttpsTestServer server = https(expired).page("/", "<!doctype html><title>old</title>");
        SiteAssessment site =
                audit("expired.web.test", settings(true, List.of(to("expired.web.test", 443, server.port()))));

        assertThat(findings(site, "certificate-expired")).singleElement().satisfies(f -> assertThat(f.severity())
                .isEqualTo(Severity.CRITICAL));
    }

    @Test
    void certificateExpiringWithinTwoWeeksIsHigh() throws Exception {
        TestCa.Issued soon = ca.issue(
                List.of("expired.web.test"),
                Instant.now().minus(Duration.ofDays(80)),
                Instant.now().plus(Duration.ofDays(5)));
        HttpsTestServer server = https(soon).page("/", "<!doctype html><title>soon</title>");
        SiteAssessment site =
                audit("expired.web.test", settings(true, List.of(to("expired.web.test", 443, server.port()))));

        assertThat(findings(site, "certificate-expiring")).singleElement().satisfies(f -> assertThat(f.message())
                .contains("expires in 4 days")
                .as(f.message()));
    }

    @Test
    void certificateForAnotherNameIsAMismatchAndTheAuditGoesOn() throws Exception {
        HttpsTestServer server =
                https(ca.issue(List.of("other.web.test"))).page("/", Files.readString(PAGES.resolve("shop.html")));
        SiteAssessment site =
                audit("mismatch.web.test", settings(true, List.of(to("mismatch.web.test", 443, server.port()))));

        assertThat(findings(site, "certificate-name-mismatch")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.message()).contains("other.web.test");
        });
        assertThat(site.resources()).isNotEmpty();
    }

    @Test
    void untrustedChainIsAFindingNotACrash() throws Exception {
        HttpsTestServer server =
                https(ca.issue(List.of("untrusted.web.test"))).page("/", "<!doctype html><title>x</title>");
        SiteAssessment site =
                audit("untrusted.web.test", settings(false, List.of(to("untrusted.web.test", 443, server.port()))));

        assertThat(findings(site, "certificate-untrusted")).singleElement().satisfies(f -> assertThat(f.severity())
                .isEqualTo(Severity.HIGH));
    }

    @Test
    void hugeBodyStopsAtTheLimitAndSaysSo() throws Exception {
        HttpsTestServer server = https(ca.issue(List.of("huge.web.test"))).huge("/", 3_000_000);
        WebSettings base = settings(true, List.of(to("huge.web.test", 443, server.port())));
        WebSettings small = limited(base, base.requestTimeout(), base.siteTimeout(), 200_000);
        SiteAssessment site = audit("huge.web.test", small);

        assertThat(findings(site, "web-limit"))
                .anySatisfy(f -> assertThat(f.message()).contains("200000 bytes"));
    }

    @Test
    void gzipBombStopsAtTheDecompressedLimit() throws Exception {
        HttpsTestServer server = https(ca.issue(List.of("bomb.web.test"))).gzipBomb("/", 50_000_000);
        WebSettings base = settings(true, List.of(to("bomb.web.test", 443, server.port())));
        WebSettings small = limited(base, base.requestTimeout(), base.siteTimeout(), 1_000_000);
        SiteAssessment site = audit("bomb.web.test", small);

        assertThat(findings(site, "web-limit"))
                .anySatisfy(f -> assertThat(f.message()).contains("once decompressed"));
    }

    @Test
    void slowServerEndsAtTheSiteTimeLimit() throws Exception {
        HttpsTestServer server = https(ca.issue(List.of("slow.web.test"))).slow("/", Duration.ofSeconds(10));
        WebSettings base = settings(true, List.of(to("slow.web.test", 443, server.port())));
        WebSettings quick = limited(base, Duration.ofMillis(800), Duration.ofSeconds(2), base.maxBodyBytes());
        long start = System.nanoTime();
        SiteAssessment site = audit("slow.web.test", quick);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(site.findings()).extracting(Finding::id).contains("web-unreachable");
    }

    @Test
    void redirectLoopIsStoppedAndReported() throws Exception {
        HttpsTestServer server = https(ca.issue(List.of("loop.web.test")))
                .redirect("/", 302, "/a")
                .redirect("/a", 302, "/b")
                .redirect("/b", 302, "/a");
        SiteAssessment site = audit("loop.web.test", settings(true, List.of(to("loop.web.test", 443, server.port()))));

        assertThat(findings(site, "web-limit"))
                .anySatisfy(f -> assertThat(f.message()).contains("redirect loop"));
        assertThat(server.requests()).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void everyRedirectHopIsFollowedToThePage() throws Exception {
        HttpsTestServer server = https(ca.issue(List.of("moved.web.test")))
                .redirect("/", 301, "/home")
                .page("/home", Files.readString(PAGES.resolve("shop.html")));
        SiteAssessment site =
                audit("moved.web.test", settings(true, List.of(to("moved.web.test", 443, server.port()))));

        assertThat(server.requests()).extracting(r -> r.path()).startsWith("/", "/home");
        assertThat(site.resources()).isNotEmpty();
    }

    @Test
    void siteIsFetchedAtTheAddressItsDnsResolvesAndAGzippedPageIsDecoded() throws Exception {
        HttpsTestServer server =
                https(ca.issue(List.of("direct.web.test"))).gzip("/", Files.readString(PAGES.resolve("shop.html")));
        // No address in the override: the client must connect to what DNS said (127.0.0.1), on the test's port.
        ConnectTo portOnly = ConnectTo.parse("direct.web.test:443::" + server.port());
        SiteAssessment site = audit("direct.web.test", settings(true, List.of(portOnly)));

        assertThat(server.requests()).extracting(r -> r.path()).containsExactly("/", "/static/site.css");
        assertThat(server.requests()).first().satisfies(r -> {
            assertThat(r.acceptEncoding()).contains("gzip");
            assertThat(r.serverName()).contains("direct.web.test");
        });
        assertThat(site.resources()).extracting(WebFacts.Resource::host).contains("cdn.jsdelivr.net");
    }

    @Test
    void privateAddressesAreRefusedUnlessAllowed() {
        WebSettings base = settings(true, List.of());
        SiteAssessment site = audit("internal.web.test", base.withAllowPrivate(false));

        assertThat(findings(site, "web-refused-private")).singleElement().satisfies(f -> assertThat(f.message())
                .contains("10.1.2.3, not a public address (private;")
                .contains("--allow-private"));
        assertThat(guardViolations).isEmpty();
    }

    @Test
    void documentationAddressesAreRefusedAsNotPublic() {
        // 192.0.2.10 (RFC 5737) is routed nowhere public: fetching it would leave loopback for whatever answers.
        SiteAssessment site =
                audit("documentation.web.test", settings(true, List.of()).withAllowPrivate(false));

        assertThat(findings(site, "web-refused-private")).singleElement().satisfies(f -> assertThat(f.message())
                .contains("192.0.2.10, not a public address (documentation;"));
        assertThat(guardViolations).isEmpty();
    }
}
