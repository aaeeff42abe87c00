package dev.chokepoint.testweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpsTestServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String HTML = "<!DOCTYPE html><html><head><title>Test</title></head><body>héllo</body></html>";

    private static TestCa ca;
    private static TestCa.Issued localhost;

    @BeforeAll
    static void createCa() {
        ca = TestCa.create("Chokepoint Test Root");
        localhost = ca.issue(List.of("localhost", "127.0.0.1"));
    }

    @Test
    void servesPageOverHttpsToClientTrustingTheCa() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).page("/", HTML);
                HttpClient client = client(ca)) {
            HttpResponse<String> response = client.send(get(server.uri("/")), BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(HTML);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(response.version()).as("no ALPN: HTTP/1.1 only").isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(server.address().getPort()).isEqualTo(server.port()).isPositive();
        }
    }

    @Test
    void ipAddressSanValidatesForIpLiteralUrl() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).page("/", HTML);
                HttpClient client = client(ca)) {
            HttpResponse<String> response = client.send(get(server.uri("127.0.0.1", "/")), BodyHandlers.ofString());

            assertThat(response.body()).isEqualTo(HTML);
            assertThat(server.requests().get(0).serverName())
                    .as("no SNI for an IP literal")
                    .isEmpty();
        }
    }

    @Test
    void presentedChainValidatesAgainstTheCaButNotTheDefaultTrustStore() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).page("/", HTML);
                HttpClient trusting = client(ca);
                HttpClient defaults =
                        HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> response = trusting.send(get(server.uri("/")), BodyHandlers.ofString());
            Certificate[] presented = response.sslSession().orElseThrow().getPeerCertificates();

            assertThat(presented).containsExactly(localhost.certificate());
            assertThatThrownBy(() -> defaults.send(get(server.uri("/")), BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void intermediateIsSentSoChainOfThreeValidatesAgainstTheRoot() throws Exception {
        TestCa intermediate = ca.intermediate("Chokepoint Test Issuing CA");
        TestCa.Issued leaf = intermediate.issue(List.of("localhost"));
        try (HttpsTestServer server = HttpsTestServer.start(leaf).page("/", HTML);
                HttpClient client = client(ca)) {
            HttpResponse<String> response = client.send(get(server.uri("/")), BodyHandlers.ofString());

            assertThat(response.sslSession().orElseThrow().getPeerCertificates())
                    .containsExactly(leaf.certificate(), intermediate.certificate());
        }
    }

    @Test
    void expiredCertificateIsPresentedAndRejectedAsExpired() {
        Instant now = Instant.now();
        TestCa.Issued expired =
                ca.issue(List.of("localhost"), now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(1)));
        try (HttpsTestServer server = HttpsTestServer.start(expired).page("/", HTML);
                HttpClient client = client(ca)) {
            assertThatThrownBy(() -> client.send(get(server.uri("/")), BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(CertificateExpiredException.class);
        }
    }

    @Test
    void certificateForAnotherNameFailsHostnameVerification() {
        TestCa.Issued other = ca.issue(List.of("other.example.test"));
        try (HttpsTestServer server = HttpsTestServer.start(other).page("/", HTML);
                HttpClient client = client(ca)) {
            assertThatThrownBy(() -> client.send(get(server.uri("/")), BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
        }
    }

    @Test
    void sniSentToTheIpAddressIsRecordedAndSelectsTheCertificate() throws Exception {
        TestCa.Issued first = ca.issue(List.of("first.example.test"));
        TestCa.Issued second = ca.issue(List.of("*.second.example.test"));
        try (HttpsTestServer server =
                HttpsTestServer.start(List.of(first, second)).page("/", HTML)) {
            String reply = rawGet(server, "www.second.example.test");
            String defaulted = rawGet(server, null);

            assertThat(reply).startsWith("HTTP/1.1 200").endsWith(HTML);
            assertThat(defaulted).startsWith("HTTP/1.1 200");
            assertThat(server.handshakeServerNames()).containsExactly("www.second.example.test");
            List<RecordedRequest> requests = server.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(0).serverName()).hasValue("www.second.example.test");
            assertThat(requests.get(0).host()).hasValue("www.second.example.test");
            assertThat(requests.get(0).tlsProtocol()).hasValue("TLSv1.3");
            assertThat(requests.get(1).serverName()).isEmpty();
        }
    }

    @Test
    void sniForUnknownNameGetsTheFirstCertificateAndIsStillRecorded() throws Exception {
        TestCa.Issued first = ca.issue(List.of("first.example.test"));
        try (HttpsTestServer server = HttpsTestServer.start(first).page("/", HTML)) {
            assertThatThrownBy(() -> rawGet(server, "unknown.example.test")).isInstanceOf(SSLHandshakeException.class);

            assertThat(server.handshakeServerNames()).containsExactly("unknown.example.test");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void repeatedHeadersAreSentAsSeparateLines() throws Exception {
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Server", "cloudflare"),
                Map.entry("CF-Ray", "8f0c0ffee0000000-AMS"),
                Map.entry("Via", "1.1 varnish"),
                Map.entry("Via", "1.1 abc.cloudfront.net (CloudFront)"),
                Map.entry("X-Cache", "Hit from cloudfront"));
        try (HttpsTestServer server = HttpsTestServer.start(localhost)
                        .page("/", HTML, headers)
                        .page("/map", HTML, Map.of("X-Served-By", "cache-ams21020-AMS"));
                HttpClient client = client(ca)) {
            HttpResponse<String> response = client.send(get(server.uri("/")), BodyHandlers.ofString());
            HttpResponse<String> mapped = client.send(get(server.uri("/map")), BodyHandlers.ofString());

            assertThat(response.headers().firstValue("server")).hasValue("cloudflare");
            assertThat(response.headers().firstValue("cf-ray")).hasValue("8f0c0ffee0000000-AMS");
            assertThat(response.headers().allValues("via"))
                    .containsExactly("1.1 varnish", "1.1 abc.cloudfront.net (CloudFront)");
            assertThat(response.headers().firstValue("x-cache")).hasValue("Hit from cloudfront");
            assertThat(mapped.headers().firstValue("x-served-by")).hasValue("cache-ams21020-AMS");
        }
    }

    @Test
    void resourceIsServedWithItsContentType() throws Exception {
        byte[] script = "console.log('hi');".getBytes(StandardCharsets.UTF_8);
        try (HttpsTestServer server = HttpsTestServer.start(localhost).resource("/app.js", "text/javascript", script);
                HttpClient client = client(ca)) {
            HttpResponse<byte[]> response = client.send(get(server.uri("/app.js")), BodyHandlers.ofByteArray());

            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript");
            assertThat(response.body()).isEqualTo(script);
        }
    }

    @Test
    void redirectReturnsStatusAndLocationWithoutBody() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost)
                        .redirect("/old", 301, "https://www.example.test/new")
                        .redirect("/temp", 307, "/");
                HttpClient client = client(ca)) {
            HttpResponse<String> moved = client.send(get(server.uri("/old")), BodyHandlers.ofString());
            HttpResponse<String> temporary = client.send(get(server.uri("/temp")), BodyHandlers.ofString());

            assertThat(moved.statusCode()).isEqualTo(301);
            assertThat(moved.headers().firstValue("Location")).hasValue("https://www.example.test/new");
            assertThat(moved.body()).isEmpty();
            assertThat(temporary.statusCode()).isEqualTo(307);
            assertThat(temporary.headers().firstValue("Location")).hasValue("/");
        }
        try (HttpsTestServer plain = HttpsTestServer.startPlainHttp()) {
            assertThatThrownBy(() -> plain.redirect("/", 200, "/")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void gzipRouteServesGzipBytesThatDecompressToThePageOnlyWhenAccepted() throws Exception {
        String page = HTML.repeat(50);
        try (HttpsTestServer server = HttpsTestServer.start(localhost).gzip("/", page);
                HttpClient client = client(ca)) {
            HttpRequest gzipRequest = HttpRequest.newBuilder(server.uri("/"))
                    .header("Accept-Encoding", "br, gzip;q=0.8")
                    .timeout(TIMEOUT)
                    .build();
            HttpResponse<byte[]> compressed = client.send(gzipRequest, BodyHandlers.ofByteArray());
            HttpResponse<byte[]> plain = client.send(get(server.uri("/")), BodyHandlers.ofByteArray());

            assertThat(compressed.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(compressed.body()).startsWith((byte) 0x1f, (byte) 0x8b);
            assertThat(compressed.body().length).isLessThan(page.length());
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(page);
            }
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(page);
            assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        }
    }

    @Test
    void gzipRouteServesPlainPageWhenGzipHasQualityZero() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).gzip("/", HTML);
                HttpClient client = client(ca)) {
            HttpRequest request = HttpRequest.newBuilder(server.uri("/"))
                    .header("Accept-Encoding", "gzip;q=0, identity")
                    .timeout(TIMEOUT)
                    .build();
            HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

            assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(response.body()).isEqualTo(HTML);
        }
    }

    @Test
    void slowRouteDelaysTheHeaders() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).slow("/slow", Duration.ofMillis(700));
                HttpClient client = client(ca)) {
            client.send(get(server.uri("/warm")), BodyHandlers.discarding());
            long start = System.nanoTime();
            HttpResponse<InputStream> response = client.send(get(server.uri("/slow")), BodyHandlers.ofInputStream());
            Duration headers = Duration.ofNanos(System.nanoTime() - start);
            response.body().close();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(headers).isGreaterThanOrEqualTo(Duration.ofMillis(650));
        }
    }

    @Test
    void trickleSendsHeadersAtOnceAndBodySlowly() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).trickle("/trickle", 2_000, 1_600);
                HttpClient client = client(ca)) {
            client.send(get(server.uri("/warm")), BodyHandlers.discarding());
            long start = System.nanoTime();
            HttpResponse<InputStream> response = client.send(get(server.uri("/trickle")), BodyHandlers.ofInputStream());
            Duration headers = Duration.ofNanos(System.nanoTime() - start);
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            }
            Duration total = Duration.ofNanos(System.nanoTime() - start);

            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(1_600);
            assertThat(headers).isLessThan(Duration.ofMillis(400));
            assertThat(body).hasSize(1_600);
            assertThat(total).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void hugeStreamsExactlyTheDeclaredLength() throws Exception {
        long length = 50L * 1024 * 1024 + 7;
        try (HttpsTestServer server = HttpsTestServer.start(localhost).huge("/huge", length);
                HttpClient client = client(ca)) {
            HttpResponse<InputStream> response = client.send(get(server.uri("/huge")), BodyHandlers.ofInputStream());
            byte[] prefix;
            long count;
            try (InputStream in = response.body()) {
                prefix = in.readNBytes(15);
                count = prefix.length + in.transferTo(OutputStream.nullOutputStream());
            }

            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(length);
            assertThat(new String(prefix, StandardCharsets.US_ASCII)).isEqualTo("<!DOCTYPE html>");
            assertThat(count).isEqualTo(length);
        }
    }

    @Test
    void hugeChunkedDeclaresNoLengthAndStreamsTheBytes() throws Exception {
        long length = 3L * 1024 * 1024;
        try (HttpsTestServer server = HttpsTestServer.start(localhost).hugeChunked("/huge", length);
                HttpClient client = client(ca)) {
            HttpResponse<InputStream> response = client.send(get(server.uri("/huge")), BodyHandlers.ofInputStream());
            long count;
            try (InputStream in = response.body()) {
                count = in.transferTo(OutputStream.nullOutputStream());
            }

            assertThat(response.headers().firstValue("Content-Length")).isEmpty();
            assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
            assertThat(count).isEqualTo(length);
        }
    }

    @Test
    void gzipBombIsSmallOnTheWireAndLargeDecompressed() throws Exception {
        long decompressed = 64L * 1024 * 1024;
        int prefixLimit = 4 * 1024 * 1024;
        try (HttpsTestServer server = HttpsTestServer.start(localhost).gzipBomb("/bomb", decompressed);
                HttpClient client = client(ca)) {
            HttpResponse<byte[]> response = client.send(get(server.uri("/bomb")), BodyHandlers.ofByteArray());
            byte[] wire = response.body();

            assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(wire.length);
            assertThat(wire.length).isLessThan(128 * 1024);
            int trailerSize = ByteBuffer.wrap(wire, wire.length - 4, 4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getInt();
            assertThat(Integer.toUnsignedLong(trailerSize)).as("gzip ISIZE").isEqualTo(decompressed % (1L << 32));
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
                byte[] prefix = in.readNBytes(prefixLimit);
                assertThat(prefix).hasSize(prefixLimit);
                assertThat(new String(prefix, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("<!DOCTYPE html>");
                assertThat(in.read()).as("more beyond the prefix").isNotNegative();
            }
        }
    }

    @Test
    void statusRoutesAndUnknownPathsAnswerWithTheirCode() throws Exception {
        try (HttpsTestServer server =
                        HttpsTestServer.start(localhost).status("/gone", 404).status("/broken", 500);
                HttpClient client = client(ca)) {
            assertThat(client.send(get(server.uri("/gone")), BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(404);
            assertThat(client.send(get(server.uri("/broken")), BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(500);
            assertThat(client.send(get(server.uri("/nowhere")), BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void headRequestGetsTheLengthButNoBody() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).page("/", HTML);
                HttpClient client = client(ca)) {
            HttpRequest head = HttpRequest.newBuilder(server.uri("/"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(TIMEOUT)
                    .build();
            HttpResponse<String> response = client.send(head, BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValueAsLong("Content-Length"))
                    .hasValue(HTML.getBytes(StandardCharsets.UTF_8).length);
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void requestsAreLoggedWithMethodPathAndHeaders() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.start(localhost).page("/", HTML);
                HttpClient client = client(ca)) {
            HttpRequest request = HttpRequest.newBuilder(server.uri("/?q=1"))
                    .header("User-Agent", "Chokepoint-Test/1.0")
                    .header("Accept-Encoding", "gzip")
                    .timeout(TIMEOUT)
                    .build();
            client.send(request, BodyHandlers.discarding());

            assertThat(server.requests()).hasSize(1);
            RecordedRequest recorded = server.requests().get(0);
            assertThat(recorded.method()).isEqualTo("GET");
            assertThat(recorded.path()).isEqualTo("/");
            assertThat(recorded.target()).isEqualTo(URI.create("/?q=1"));
            assertThat(recorded.protocol()).isEqualTo("HTTP/1.1");
            assertThat(recorded.host()).hasValue("localhost:" + server.port());
            assertThat(recorded.userAgent()).hasValue("Chokepoint-Test/1.0");
            assertThat(recorded.acceptEncoding()).hasValue("gzip");
            assertThat(recorded.header("ACCEPT-ENCODING")).hasValue("gzip");
            assertThat(recorded.serverName())
                    .as("HttpClient sends SNI even for localhost")
                    .hasValue("localhost");
            assertThat(recorded.remoteAddress().getAddress().isLoopbackAddress())
                    .isTrue();
            assertThat(server.requests("/")).containsExactly(recorded);
        }
    }

    @Test
    void keepAliveCarriesSeveralRequestsOverOneConnection() throws Exception {
        try (HttpsTestServer server =
                        HttpsTestServer.start(localhost).page("/a", HTML).page("/b", HTML);
                HttpClient client = client(ca)) {
            client.send(get(server.uri("/a")), BodyHandlers.discarding());
            client.send(get(server.uri("/b")), BodyHandlers.discarding());

            List<RecordedRequest> requests = server.requests();
            assertThat(requests).extracting(RecordedRequest::path).containsExactly("/a", "/b");
            assertThat(requests.get(1).remoteAddress())
                    .isEqualTo(requests.get(0).remoteAddress());
            assertThat(server.handshakeServerNames()).containsExactly("localhost");
        }
    }

    @Test
    void plainHttpServerServesPagesWithoutTls() throws Exception {
        try (HttpsTestServer server = HttpsTestServer.startPlainHttp().page("/", HTML);
                HttpClient client =
                        HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> response = client.send(get(server.uri("/")), BodyHandlers.ofString());

            assertThat(server.uri("/").getScheme()).isEqualTo("http");
            assertThat(server.isTls()).isFalse();
            assertThat(response.body()).isEqualTo(HTML);
            assertThat(response.sslSession()).isEmpty();
            assertThat(server.requests().get(0).tlsProtocol()).isEmpty();
            assertThat(server.requests().get(0).serverName()).isEmpty();
        }
    }

    @Test
    void closeIsFastAndEndsHandlerThreadsEvenWithRequestInFlight() throws Exception {
        HttpsTestServer server = HttpsTestServer.start(localhost).slow("/stuck", Duration.ofMinutes(5));
        try (HttpClient client = client(ca)) {
            CompletableFuture<HttpResponse<String>> pending =
                    client.sendAsync(get(server.uri("/stuck")), BodyHandlers.ofString());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (server.requests().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.requests()).hasSize(1);

            long start = System.nanoTime();
            server.close();
            Duration closing = Duration.ofNanos(System.nanoTime() - start);

            assertThat(closing).isLessThan(Duration.ofSeconds(2));
            // A pool counts as terminated while its last worker is still leaving run(): give it a bounded moment.
            long threadsDeadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (handlerThreadsAlive() && System.nanoTime() < threadsDeadline) {
                Thread.sleep(10);
            }
            assertThat(handlerThreadsAlive())
                    .as("handler threads alive after close")
                    .isFalse();
            assertThat(pending).failsWithin(TIMEOUT);
        } finally {
            server.close();
        }
    }

    private static boolean handlerThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("https-test-server-") && thread.isAlive());
    }

    private static HttpClient client(TestCa trusted) {
        return HttpClient.newBuilder()
                .sslContext(trusted.clientContext())
                .connectTimeout(TIMEOUT)
                .build();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).build();
    }

    /**
     * Connects to 127.0.0.1 (not to a name), sends the SNI host name if given, validates the
     * server's certificate for that name against the CA, and sends one GET with that Host.
     */
    private static String rawGet(HttpsTestServer server, String sniName) throws IOException {
        try (SSLSocket socket =
                (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            if (sniName != null) {
                parameters.setServerNames(List.of(new SNIHostName(sniName)));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            String host = sniName == null ? "127.0.0.1" : sniName;
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(peer).isNotNull();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
