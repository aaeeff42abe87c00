package dev.chokepoint.dns;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/** A dnsjava {@link Resolver} that sends at most a given number of queries per second to the one it wraps. */
public final class RateLimitedResolver implements Resolver {
    private final Resolver delegate;
    private final RateLimiter limiter;

    /** Limits {@code delegate} to {@code queriesPerSecond}. */
    public RateLimitedResolver(Resolver delegate, double queriesPerSecond) {
        if (!(queriesPerSecond > 0)) {
            throw new IllegalArgumentException("queries per second must be positive: " + queriesPerSecond);
        }
        this.delegate = delegate;
        this.limiter = RateLimiter.create(queriesPerSecond);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        limiter.acquire();
        return delegate.sendAsync(query);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        limiter.acquire();
        return delegate.sendAsync(query, executor);
    }

    @Override
    public void setPort(int port) {
        delegate.setPort(port);
    }

    @Override
    public void setTCP(boolean flag) {
        delegate.setTCP(flag);
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
        delegate.setIgnoreTruncation(flag);
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        delegate.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(TSIG key) {
        delegate.setTSIGKey(key);
    }

    @Override
    public void setTimeout(Duration timeout) {
        delegate.setTimeout(timeout);
    }

    @Override
    public Duration getTimeout() {
        return delegate.getTimeout();
    }
}
