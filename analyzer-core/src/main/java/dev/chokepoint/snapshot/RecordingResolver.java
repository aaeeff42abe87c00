package dev.chokepoint.snapshot;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/** A dnsjava {@link Resolver} that passes every query to another and records each answered exchange. */
public final class RecordingResolver implements Resolver {
    private final Resolver delegate;
    private final WarcRecorder recorder;
    private final Optional<InetAddress> server;

    /**
     * Records what {@code delegate} answers into {@code recorder}.
     *
     * @param server the resolver address written with each record, when there is a single one
     */
    public RecordingResolver(Resolver delegate, WarcRecorder recorder, Optional<InetAddress> server) {
        this.delegate = delegate;
        this.recorder = recorder;
        this.server = server;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return record(query, delegate.sendAsync(query));
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        return record(query, delegate.sendAsync(query, executor));
    }

    private CompletionStage<Message> record(Message query, CompletionStage<Message> answer) {
        Instant sent = Instant.now();
        // Not on the thread that completed the answer: that is one of dnsjava's few I/O threads, and writing (and
        // compressing) the record there would hold up every other answer behind the snapshot's lock.
        return answer.thenApplyAsync(
                response -> {
                    recorder.recordDns(query, response, server, sent);
                    return response;
                },
                RECORDING);
    }

    private static final Executor RECORDING = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("warc-record-", 0).factory());

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
