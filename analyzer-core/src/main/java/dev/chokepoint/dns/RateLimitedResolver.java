package dev.chokepoint.dns;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;

/**
 * A dnsjava {@link Resolver} that sends at most a given number of queries per second to the one it wraps, without ever
 * blocking its caller: a query over the rate waits for its permit on a virtual thread of its own. Callers ask from
 * inside the batch cache's computation and from the DNS threads that complete answers, where a sleeping sender would
 * hold up everyone else.
 */
public final class RateLimitedResolver extends ForwardingResolver {
    private static final Executor WAITERS =
            runnable -> Thread.ofVirtual().name("dns-rate-wait").start(runnable);

    private final RateLimiter limiter;
    private final LongAdder asked = new LongAdder();
    private final LongAdder held = new LongAdder();

    /** Limits {@code delegate} to {@code queriesPerSecond}. */
    public RateLimitedResolver(Resolver delegate, double queriesPerSecond) {
        super(delegate);
        if (!(queriesPerSecond > 0)) {
            throw new IllegalArgumentException("queries per second must be positive: " + queriesPerSecond);
        }
        this.limiter = RateLimiter.create(queriesPerSecond);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return whenPermitted(() -> delegate().sendAsync(query));
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        return whenPermitted(() -> delegate().sendAsync(query, executor));
    }

    /** Sends at once when a permit is free, otherwise once a virtual thread has waited for one. */
    private CompletionStage<Message> whenPermitted(Supplier<CompletionStage<Message>> send) {
        asked.increment();
        if (limiter.tryAcquire()) {
            return send.get();
        }
        held.increment();
        return CompletableFuture.runAsync(limiter::acquire, WAITERS).thenCompose(permit -> send.get());
    }

    /**
     * The queries asked of the rate-limited resolvers in {@code resolver} (itself, or those an {@link ExtendedResolver}
     * combines) and how many of them had to wait for a permit: when most did, the rate, not the resolver, set the pace.
     */
    public static Held held(Resolver resolver) {
        return switch (resolver) {
            case RateLimitedResolver limited -> new Held(limited.asked.sum(), limited.held.sum());
            case ExtendedResolver extended ->
                Arrays.stream(extended.getResolvers())
                        .map(RateLimitedResolver::held)
                        .reduce(new Held(0, 0), Held::plus);
            default -> new Held(0, 0);
        };
    }

    /** Queries asked, and of those, held back for a permit. */
    public record Held(long asked, long held) {
        Held plus(Held other) {
            return new Held(asked + other.asked, held + other.held);
        }

        Held minus(Held other) {
            return new Held(asked - other.asked, held - other.held);
        }

        /** Whether more than half of the queries waited for a permit. */
        public boolean mostly() {
            return held * 2 > asked;
        }
    }

    /**
     * Whether most of the queries asked lately waited for a permit, for a progress display: a scan held at its start
     * and free since should stop saying so. Each answer covers the queries asked since a mark between one and two
     * {@code window}s old (since the start, until the first window has passed).
     */
    public static final class Lately {
        private final Supplier<Held> counts;
        private final LongSupplier nanoTime;
        private final long window;
        private Held older = new Held(0, 0);
        private Held newer = new Held(0, 0);
        private long newerAt;

        /** Judges the counts {@link #held(Resolver)} gives for {@code resolver}, over windows of {@code window}. */
        public Lately(Resolver resolver, Duration window) {
            this(() -> held(resolver), window, System::nanoTime);
        }

        Lately(Supplier<Held> counts, Duration window, LongSupplier nanoTime) {
            this.counts = counts;
            this.window = window.toNanos();
            this.nanoTime = nanoTime;
            this.newerAt = nanoTime.getAsLong();
        }

        /** Whether more than half of the queries asked lately waited for a permit. */
        public synchronized boolean mostlyHeld() {
            long now = nanoTime.getAsLong();
            Held current = counts.get();
            if (now - newerAt >= window) {
                older = newer;
                newer = current;
                newerAt = now;
            }
            return current.minus(older).mostly();
        }
    }
}
