package dev.chokepoint.dns;

import com.google.common.util.concurrent.RateLimiter;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;

/** A dnsjava {@link Resolver} that sends at most a given number of queries per second to the one it wraps. */
public final class RateLimitedResolver extends ForwardingResolver {
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
        limiter.acquire();
        return delegate().sendAsync(query);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        limiter.acquire();
        return delegate().sendAsync(query, executor);
    }
}
