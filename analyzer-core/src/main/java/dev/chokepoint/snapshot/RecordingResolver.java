package dev.chokepoint.snapshot;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
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
        // The caller sees the answer only once it is in the snapshot, so that a result written after it never
        // refers to an exchange a crash lost. The recorder's own thread writes; this one only builds the records.
        return answer.thenCompose(
                response -> recorder.recordDns(query, response, server, sent).thenApply(written -> response));
    }
}
