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
        // The millisecond clock, a little cheaper to read than Instant.now(): WARC/1.0 dates have whole seconds.
        Instant sent = Instant.ofEpochMilli(System.currentTimeMillis());
        // Queued before anyone sees the answer, and the recorder writes in queue order: whoever waits for
        // WarcRecorder.awaitWritten() after using the answer knows this exchange is in the file. Waiting here for
        // every exchange instead cost a round trip through the writer thread per query.
        return answer.thenApply(response -> {
            recorder.recordDns(query, response, server, sent);
            return response;
        });
    }
}
