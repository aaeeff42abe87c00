package dev.chokepoint.cli;

import dev.chokepoint.testdns.World;
import dev.chokepoint.testweb.HttpsTestServer;
import dev.chokepoint.testweb.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The web side of the bundled sample: one loopback server per site, with the pages in {@code datasets/samples/pages}.
 * Every sample host is mapped to loopback on both ports (to a closed port where nothing is served), so that a run
 * with {@link #arguments()} cannot connect anywhere else.
 */
final class SampleWeb implements AutoCloseable {
    private static final Path PAGES = World.root().resolve("datasets/samples/pages");
    private static final List<String> HOSTS =
            List.of("example.com", "example.net", "example.org", "xn--bcher-kva.example");

    private final List<HttpsTestServer> servers = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();

    SampleWeb(Path dir) throws IOException {
        TestCa ca = TestCa.create("Example Sample CA");
        Path pem = ca.writePem(dir);
        int closed = closedPort();

        HttpsTestServer store = serve(ca, "example.com")
                .page("/", page("example.com.html"), Map.of("Server", "cloudflare", "CF-Ray", "8e5f1a2b3c4d5e6f-FRA"))
                .resource("/assets/store.css", "text/css", Files.readAllBytes(PAGES.resolve("store.css")));
        HttpsTestServer network = serve(ca, "example.net")
                .page(
                        "/",
                        page("example.net.html"),
                        Map.of("X-Cache", "Hit from cloudfront", "X-Amz-Cf-Id", "sample-request-id=="));
        HttpsTestServer plain = HttpsTestServer.startPlainHttp();
        servers.add(plain);
        plain.page("/", page("example.org.html"));
        HttpsTestServer books = serve(ca, "xn--bcher-kva.example")
                .page("/", page("buecher.html"), Map.of("Server", "GitHub.com", "X-GitHub-Request-Id", "ABCD:1234"));

        arguments.addAll(List.of("--cacert", pem.toString(), "--allow-private"));
        for (String host : HOSTS) {
            for (String name : List.of(host, "www." + host)) {
                int https =
                        switch (host) {
                            case "example.com" -> name.equals(host) ? store.port() : closed;
                            case "example.net" -> name.equals(host) ? network.port() : closed;
                            case "xn--bcher-kva.example" -> name.equals(host) ? books.port() : closed;
                            default -> closed;
                        };
                int http = host.equals("example.org") && name.equals(host) ? plain.port() : closed;
                arguments.addAll(List.of("--connect-to", name + ":443:127.0.0.1:" + https));
                arguments.addAll(List.of("--connect-to", name + ":80:127.0.0.1:" + http));
            }
        }
    }

    private HttpsTestServer serve(TestCa ca, String host) {
        HttpsTestServer server = HttpsTestServer.start(ca.issue(List.of(host, "www." + host)));
        servers.add(server);
        return server;
    }

    private static String page(String name) throws IOException {
        return Files.readString(PAGES.resolve(name));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The options that point the audit at these servers. */
    List<String> arguments() {
        return List.copyOf(arguments);
    }

    @Override
    public void close() {
        servers.forEach(HttpsTestServer::close);
    }
}
