package dev.chokepoint.dns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/** A dnsjava {@link Resolver} that passes everything to another; subclasses change what they need. */
public abstract class ForwardingResolver implements Resolver {
    private final Resolver delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingResolver(Resolver delegate) {
        this.delegate = delegate;
    }

    /** The resolver forwarded to. */
    protected Resolver delegate() {
        return delegate;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return delegate.sendAsync(query);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
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
