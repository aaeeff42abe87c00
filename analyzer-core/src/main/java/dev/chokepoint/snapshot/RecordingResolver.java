package dev.chokepoint.snapshot;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;

/** A dnsjava {@link Resolver} that passes every query to another and records each answered exchange. */
public final class RecordingResolver extends dev.chokepoint.dns.ForwardingResolver {
    private final WarcRecorder recorder;
    private final Optional<InetAddress> server;

    /**
     * Records what {@code delegate} answers into {@code recorder}.
     *
     * @param server the resolver address written with each record, when there is a single one
     */
    public RecordingResolver(Resolver delegate, WarcRecorder recorder, Optional<InetAddress> server) {
        super(delegate);
        this.recorder = recorder;
        this.server = server;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return record(query, delegate().sendAsync(query));
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        return record(query, delegate().sendAsync(query, executor));
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
}
