package dev.chokepoint.dns;

import com.google.common.util.concurrent.RateLimiter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
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
        if (limiter.tryAcquire()) {
            return send.get();
        }
        return CompletableFuture.runAsync(limiter::acquire, WAITERS).thenCompose(permit -> send.get());
    }
}
