package dev.chokepoint.snapshot;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.Warcinfo;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * The DNS answers recorded in a WARC file, served back as a dnsjava {@link Resolver} so that an audit can be replayed
 * with no network. A question that was not recorded gets no answer, as if it had timed out.
 */
public final class WarcSnapshot implements Resolver {
    private final Path file;
    private final Map<String, byte[]> responses;
    private final Map<String, String> info;

    private WarcSnapshot(Path file, Map<String, byte[]> responses, Map<String, String> info) {
        this.file = file;
        this.responses = responses;
        this.info = info;
    }

    /**
     * Reads every DNS response in {@code file}.
     *
     * @throws SnapshotException if the file is missing or is not a readable WARC file
     */
    public static WarcSnapshot read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SnapshotException(file, "no such snapshot file", null);
        }
        Map<String, byte[]> responses = new HashMap<>();
        Map<String, String> info = new LinkedHashMap<>();
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord record : reader) {
                if (record instanceof Warcinfo warcinfo && info.isEmpty()) {
                    warcinfo.fields().map().forEach((k, v) -> info.put(k, String.join(" ", v)));
                } else if (record instanceof WarcResponse response
                        && response.contentType().base().equals(WarcRecorder.DNS_MESSAGE)) {
                    byte[] wire = response.body().stream().readAllBytes();
                    Message message = new Message(wire);
                    responses.putIfAbsent(key(message.getQuestion()), wire);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SnapshotException(file, "not a readable WARC snapshot (" + e.getMessage() + ")", e);
        }
        return new WarcSnapshot(file, Map.copyOf(responses), Collections.unmodifiableMap(info));
    }

    private static String key(Record question) {
        return question.getName().toString().toLowerCase(Locale.ROOT) + " " + question.getType() + " "
                + question.getDClass();
    }

    /** The file this snapshot was read from. */
    public Path file() {
        return file;
    }

    /** The fields of the snapshot's {@code warcinfo} record, such as the tool version and the audited targets. */
    public Map<String, String> info() {
        return info;
    }

    /** The number of recorded DNS responses. */
    public int size() {
        return responses.size();
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        byte[] wire = responses.get(key(query.getQuestion()));
        if (wire == null) {
            return CompletableFuture.failedFuture(
                    new SocketTimeoutException("not in snapshot " + file.getFileName() + ": " + query.getQuestion()));
        }
        try {
            Message response = new Message(wire);
            response.getHeader().setID(query.getHeader().getID());
            return CompletableFuture.completedFuture(response);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, java.util.concurrent.Executor executor) {
        return sendAsync(query);
    }

    @Override
    public void setPort(int port) {}

    @Override
    public void setTCP(boolean flag) {}

    @Override
    public void setIgnoreTruncation(boolean flag) {}

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

    @Override
    public void setTSIGKey(TSIG key) {}

    @Override
    public void setTimeout(Duration timeout) {}
}
