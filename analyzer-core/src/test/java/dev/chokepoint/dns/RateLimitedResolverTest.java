package dev.chokepoint.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chokepoint.testdns.ZoneServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class RateLimitedResolverTest {
    private static ZoneServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ZoneServer.start(
                Map.of(
                        "rate.test",
                        """
                $ORIGIN rate.test.
                $TTL 60
                @   IN SOA ns.rate.test. admin.rate.test. 1 60 60 60 60
                @   IN NS  ns
                ns  IN A   127.0.0.1
                www IN A   192.0.2.20
                """));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void queriesOverTheRateWaitForTheirTurnWithoutHoldingUpTheCaller() throws Exception {
        try (MultiplexedUdpResolver udp = new MultiplexedUdpResolver(server.address())) {
            udp.setTimeout(Duration.ofSeconds(5));
            RateLimitedResolver limited = new RateLimitedResolver(udp, 2); // a permit every 500 ms

            long start = System.nanoTime();
            List<CompletableFuture<Message>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Message query =
                        Message.newQuery(Record.newRecord(Name.fromString("www.rate.test."), Type.A, DClass.IN));
                answers.add(limited.sendAsync(query).toCompletableFuture());
            }
            long handedBack = System.nanoTime() - start;
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            long answered = System.nanoTime() - start;

            // The third query's permit comes a second after the first; the caller had its futures long before that.
            assertThat(Duration.ofNanos(handedBack)).isLessThan(Duration.ofMillis(400));
            assertThat(Duration.ofNanos(answered)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            for (CompletableFuture<Message> answer : answers) {
                assertThat(answer.get().getRcode()).isEqualTo(Rcode.NOERROR);
            }
            // The first took the free permit; the other two waited.
            assertThat(RateLimitedResolver.held(limited)).isEqualTo(new RateLimitedResolver.Held(3, 2));
            assertThat(RateLimitedResolver.held(limited).mostly()).isTrue();
            assertThat(RateLimitedResolver.held(new ExtendedResolver(List.of(limited, limited))))
                    .as("summed over the resolvers an ExtendedResolver combines")
                    .isEqualTo(new RateLimitedResolver.Held(6, 4));
            assertThat(RateLimitedResolver.held(udp)).isEqualTo(new RateLimitedResolver.Held(0, 0));
        }
    }

    @Test
    void latelyJudgesTheLastWindowsNotTheWholeRun() {
        long[] now = {0};
        RateLimitedResolver.Held[] counts = {new RateLimitedResolver.Held(0, 0)};
        RateLimitedResolver.Lately lately =
                new RateLimitedResolver.Lately(() -> counts[0], Duration.ofSeconds(5), () -> now[0]);
        long second = Duration.ofSeconds(1).toNanos();

        assertThat(lately.mostlyHeld()).as("nothing asked yet").isFalse();
        // The first ten seconds: 10,000 queries, 9,900 of them held. Until a window has passed, the whole run counts.
        counts[0] = new RateLimitedResolver.Held(10_000, 9_900);
        now[0] = 3 * second;
        assertThat(lately.mostlyHeld()).isTrue();
        now[0] = 10 * second;
        assertThat(lately.mostlyHeld()).isTrue();
        // Then the queries stop waiting. Within a window of the held start, it still counts.
        counts[0] = new RateLimitedResolver.Held(11_000, 9_900);
        now[0] = 12 * second;
        assertThat(lately.mostlyHeld()).isTrue();
        // Past it, only the queries since the mark at second 10 count: 3,000, none held, though over the whole run
        // most queries still waited.
        counts[0] = new RateLimitedResolver.Held(13_000, 9_900);
        now[0] = 16 * second;
        assertThat(counts[0].mostly()).as("the whole run").isTrue();
        assertThat(lately.mostlyHeld()).isFalse();
        // Held again later, and it says so again.
        counts[0] = new RateLimitedResolver.Held(14_000, 10_900);
        now[0] = 22 * second;
        assertThat(lately.mostlyHeld()).isTrue();
    }
}
