package dev.chokepoint.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.testdns.ZoneServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class DnsjavaClientTest {
    private static ZoneServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ZoneServer.start(
                Map.of(
                        "client.test",
                        """
                $ORIGIN client.test.
                $TTL 60
                @     IN SOA ns.client.test. admin.client.test. 1 60 60 60 60
                @     IN NS  ns
                ns    IN A   127.0.0.1
                www   IN A   192.0.2.10
                late  IN A   192.0.2.11
                never IN A   192.0.2.12
                """));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.clearFaults();
        server.clearQueryLog();
    }

    private static DnsjavaClient client(int backoffRetries) {
        DnsSettings settings = new DnsSettings(List.of(server.address()), Duration.ofMillis(150), 0);
        return new DnsjavaClient(DnsjavaClient.resolverFor(settings), 1000, backoffRetries);
    }

    private static Question question(String name) throws Exception {
        return new Question(Name.fromString(name), Type.A);
    }

    @Test
    void questionAskedByManySitesAtOnceGoesToTheNetworkOnce() throws Exception {
        DnsjavaClient client = client(0);
        List<Future<DnsOutcome>> asked = new ArrayList<>();
        try (ExecutorService sites = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                asked.add(sites.submit(() -> client.query(question("WWW.client.test."))));
            }
            for (Future<DnsOutcome> outcome : asked) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(DnsOutcome.Answer.class);
            }
        }

        assertThat(client.queriesSent()).isEqualTo(1);
        assertThat(server.queryLog()).containsExactly("www.client.test. A udp");
    }

    @Test
    void questionThatTimedOutIsAskedAgainAfterABackoff() throws Exception {
        // Dropped by the server itself, not healed from another thread: a healer that cleared the fault as soon as
        // the query was counted could beat the server's check and let the first query through.
        server.dropNextQueryFor("late.client.test.");
        DnsjavaClient client = client(2);

        DnsOutcome outcome = client.query(question("late.client.test."));

        assertThat(outcome).isInstanceOf(DnsOutcome.Answer.class);
        assertThat(client.queriesSent()).isEqualTo(2);
    }

    @Test
    void questionThatKeepsTimingOutEndsAsATimeoutAfterTheRetriesAllowed() throws Exception {
        server.dropQueriesFor("never.client.test.");
        DnsjavaClient client = client(2);

        DnsOutcome outcome = client.query(question("never.client.test."));

        assertThat(outcome).isInstanceOf(DnsOutcome.Timeout.class);
        assertThat(client.queriesSent()).isEqualTo(3);
        assertThat(server.queryLog()).hasSize(3);
    }

    @Test
    void aResolverIsSilentOnlyWhenItAnswersNothingAtAll() throws Exception {
        java.net.InetSocketAddress nobody;
        try (java.net.DatagramSocket unused =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            nobody = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), unused.getLocalPort());
        }
        // The server answers REFUSED for the root, which is an answer: only a resolver that says nothing is silent.
        DnsSettings settings = new DnsSettings(List.of(server.address(), nobody), Duration.ofMillis(200), 1);

        assertThat(DnsjavaClient.silentResolvers(settings)).containsExactly(nobody);
        assertThat(server.queryLog()).contains(". SOA udp");
    }
}
