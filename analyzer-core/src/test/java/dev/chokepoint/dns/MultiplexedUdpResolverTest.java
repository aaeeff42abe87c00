package dev.chokepoint.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.testdns.ZoneServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class MultiplexedUdpResolverTest {
    private static final int HOSTS = 600;
    private static ZoneServer server;

    @BeforeAll
    static void start() throws Exception {
        StringBuilder zone = new StringBuilder(
                """
                $ORIGIN many.test.
                $TTL 60
                @    IN SOA ns.many.test. admin.many.test. 1 60 60 60 60
                @    IN NS  ns
                ns   IN A   127.0.0.1
                """);
        for (int i = 0; i < HOSTS; i++) {
            zone.append("h")
                    .append(i)
                    .append(" IN A 10.0.")
                    .append(i / 256)
                    .append('.')
                    .append(i % 256)
                    .append('\n');
        }
        server = ZoneServer.start(Map.of("many.test", zone.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    private static String firstAddress(Message response) {
        return ((ARecord) response.getSection(Section.ANSWER).getFirst())
                .getAddress()
                .getHostAddress();
    }

    @Test
    void manyQueriesInFlightEachGetTheAnswerToTheirOwnQuestion() throws Exception {
        try (MultiplexedUdpResolver resolver = new MultiplexedUdpResolver(server.address(), 2)) {
            // The test server's receive buffer may overflow with this many at once: resend soon.
            resolver.setTimeout(Duration.ofMillis(500));
            resolver.setRetries(10);
            List<CompletableFuture<Message>> answers = new ArrayList<>();
            for (int i = 0; i < HOSTS; i++) {
                answers.add(resolver.sendAsync(query("h" + i + ".many.test.", Type.A))
                        .toCompletableFuture());
            }
            for (int i = 0; i < HOSTS; i++) {
                Message response = answers.get(i).get(20, TimeUnit.SECONDS);
                assertThat(response.getQuestion().getName().toString()).isEqualTo("h" + i + ".many.test.");
                assertThat(firstAddress(response)).isEqualTo("10.0." + (i / 256) + "." + (i % 256));
            }
        }
    }

    @Test
    void queriesCarryTheSameEdnsOptionAsDnsjavasSimpleResolver() throws Exception {
        try (MultiplexedUdpResolver resolver = new MultiplexedUdpResolver(server.address(), 1)) {
            Message response = resolver.sendAsync(query("h1.many.test.", Type.A))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            assertThat(response.getOPT()).isNotNull();
            assertThat(firstAddress(response)).isEqualTo("10.0.0.1");
        }
    }

    @Test
    void answerKeepsTheBytesOfTheQueryAsSentAndOfTheResponseAsReceived() throws Exception {
        try (MultiplexedUdpResolver resolver = new MultiplexedUdpResolver(server.address(), 1)) {
            Message query = query("h2.many.test.", Type.A);
            Message response = resolver.sendAsync(query).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(response).isInstanceOf(ReceivedMessage.class);
            ReceivedMessage received = (ReceivedMessage) response;
            Message sent = new Message(received.queryWire());
            // The resolver's own ID and EDNS record, not the caller's message.
            assertThat(sent.getHeader().getID()).isEqualTo(response.getHeader().getID());
            assertThat(sent.getOPT()).isNotNull();
            assertThat(query.getOPT()).isNull();
            assertThat(sent.getQuestion()).isEqualTo(query.getQuestion());
            assertThat(new Message(received.wire()).toString()).isEqualTo(response.toString());
        }
    }

    @Test
    void silentServerIsAskedOncePerRetryThenTimesOut() throws Exception {
        server.dropQueriesFor("h7.many.test");
        server.clearQueryLog();
        try (MultiplexedUdpResolver resolver = new MultiplexedUdpResolver(server.address(), 1)) {
            resolver.setTimeout(Duration.ofMillis(150));
            resolver.setRetries(2);
            CompletableFuture<Message> answer =
                    resolver.sendAsync(query("h7.many.test.", Type.A)).toCompletableFuture();

            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("h7.many.test");
            assertThat(server.queryLog())
                    .containsExactly("h7.many.test. A udp", "h7.many.test. A udp", "h7.many.test. A udp");
        } finally {
            server.clearFaults();
        }
    }

    @Test
    void answerToAnotherQuestionWithTheSameIdIsIgnored() throws Exception {
        try (DatagramSocket fake = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                MultiplexedUdpResolver resolver =
                        new MultiplexedUdpResolver((InetSocketAddress) fake.getLocalSocketAddress(), 1)) {
            resolver.setTimeout(Duration.ofSeconds(5));
            CompletableFuture<Message> answer =
                    resolver.sendAsync(query("asked.test.", Type.A)).toCompletableFuture();

            DatagramPacket packet = new DatagramPacket(new byte[512], 512);
            fake.setSoTimeout(5000);
            fake.receive(packet);
            Message asked = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
            // First an answer with the right ID to a question that was not asked, then the real one.
            Message spoofed = answerTo(asked, "other.test.", "192.0.2.66");
            Message genuine = answerTo(asked, "asked.test.", "192.0.2.1");
            for (Message reply : List.of(spoofed, genuine)) {
                byte[] wire = reply.toWire();
                fake.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            }

            assertThat(firstAddress(answer.get(10, TimeUnit.SECONDS))).isEqualTo("192.0.2.1");
        }
    }

    private static Message answerTo(Message asked, String name, String address) throws Exception {
        Message reply = new Message(asked.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        Name owner = Name.fromString(name);
        reply.addRecord(Record.newRecord(owner, Type.A, DClass.IN), Section.QUESTION);
        reply.addRecord(new ARecord(owner, DClass.IN, 60, InetAddress.getByName(address)), Section.ANSWER);
        return reply;
    }

    @Test
    void anExecutorThatRefusesATimeoutDoesNotStopLaterTimeouts() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                MultiplexedUdpResolver resolver =
                        new MultiplexedUdpResolver((InetSocketAddress) silent.getLocalSocketAddress(), 1)) {
            resolver.setTimeout(Duration.ofMillis(100));
            CountDownLatch refused = new CountDownLatch(1);
            Executor refusing = task -> {
                refused.countDown();
                throw new RejectedExecutionException("shut down");
            };
            resolver.sendAsync(query("refused.test.", Type.A), refusing);
            assertThat(refused.await(10, TimeUnit.SECONDS)).isTrue();

            // The timer thread gave up on the first query in a sweep that the executor's exception went through.
            CompletableFuture<Message> later =
                    resolver.sendAsync(query("later.test.", Type.A)).toCompletableFuture();
            assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void closeFailsWhatIsStillWaiting() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            MultiplexedUdpResolver resolver =
                    new MultiplexedUdpResolver((InetSocketAddress) silent.getLocalSocketAddress(), 1);
            resolver.setTimeout(Duration.ofSeconds(30));
            CompletableFuture<Message> answer =
                    resolver.sendAsync(query("never.test.", Type.A)).toCompletableFuture();

            resolver.close();

            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(resolver.sendAsync(query("after.test.", Type.A)).toCompletableFuture())
                    .failsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aQueryWithNoFreeIdFailsInsteadOfWaitingForOne() throws Exception {
        // 70,000 queries to a server that never answers: one socket has 65,536 IDs, so the rest must fail at once
        // (trying IDs for ever would hang the caller).
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                MultiplexedUdpResolver resolver =
                        new MultiplexedUdpResolver((InetSocketAddress) silent.getLocalSocketAddress(), 1)) {
            resolver.setTimeout(Duration.ofMinutes(5));
            List<CompletableFuture<Message>> answers = new ArrayList<>();
            for (int i = 0; i < 70_000; i++) {
                answers.add(
                        resolver.sendAsync(query("q" + i + ".test.", Type.A)).toCompletableFuture());
            }
            List<Throwable> failures = answers.stream()
                    .filter(CompletableFuture::isCompletedExceptionally)
                    .map(answer -> answer.handle((message, error) -> error).join())
                    .toList();

            assertThat(failures).hasSizeGreaterThanOrEqualTo(70_000 - 65_536);
            assertThat(failures).allSatisfy(error -> assertThat(error).hasMessageContaining("no free message ID"));
        }
    }
}
