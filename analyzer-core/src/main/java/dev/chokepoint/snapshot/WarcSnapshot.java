package dev.chokepoint.snapshot;

import dev.chokepoint.web.HttpExchange;
import dev.chokepoint.web.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageHeaders;
import org.netpreserve.jwarc.WarcMetadata;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcRequest;
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
public final class WarcSnapshot implements Resolver, WebClient {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WarcSnapshot.class);

    private final Path file;
    private final Map<String, byte[]> responses;
    private final Map<String, String> info;
    private final Map<String, HttpExchange> exchanges;
    private final Optional<Instant> firstRecorded;
    private final Optional<Instant> lastRecorded;

    private WarcSnapshot(
            Path file,
            Map<String, byte[]> responses,
            Map<String, String> info,
            Map<String, HttpExchange> exchanges,
            Optional<Instant> firstRecorded,
            Optional<Instant> lastRecorded) {
        this.file = file;
        this.responses = responses;
        this.info = info;
        this.exchanges = exchanges;
        this.firstRecorded = firstRecorded;
        this.lastRecorded = lastRecorded;
    }

    /**
     * Reads every DNS response in {@code file}.
     *
     * @throws SnapshotException if the file is missing or is not a readable WARC file
     */
    public static WarcSnapshot read(Path file) {
        return read(List.of(file), false);
    }

    /**
     * Reads several snapshot files as one, such as the per-run files of a batch scan: where two files answer the same
     * question, the first file in {@code files} wins; the {@code warcinfo} fields are the first file's.
     *
     * @param tornEnds whether a file that breaks off (a run that was killed while writing) counts up to the break
     *     rather than failing the whole read
     * @throws SnapshotException if a file is missing or is not a readable WARC file
     */
    public static WarcSnapshot read(List<Path> files, boolean tornEnds) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no snapshot file");
        }
        Map<String, byte[]> responses = new HashMap<>();
        Map<String, String> info = new LinkedHashMap<>();
        Map<String, HttpExchange> exchanges = new HashMap<>();
        Map<String, MessageHeaders> metadata = new HashMap<>();
        Map<String, Instant> requested = new HashMap<>();
        Instant[] span = new Instant[2];
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new SnapshotException(file, "no such snapshot file", null);
            }
            readInto(file, responses, info, exchanges, metadata, requested, span, tornEnds);
        }
        for (Map.Entry<String, Instant> request : requested.entrySet()) {
            String url = request.getKey();
            MessageHeaders fields = metadata.get(url);
            HttpExchange exchange = exchanges.get(url);
            if (exchange == null) {
                String error = fields == null
                        ? "no response recorded"
                        : fields.first(WarcRecorder.FETCH_ERROR).orElse("");
                exchanges.put(url, HttpExchange.failed(URI.create(url), request.getValue(), Optional.empty(), error));
            } else if (fields != null) {
                exchanges.put(url, HttpReplay.withTls(exchange, fields));
            }
        }
        return new WarcSnapshot(
                files.getFirst(),
                Map.copyOf(responses),
                Collections.unmodifiableMap(info),
                Map.copyOf(exchanges),
                Optional.ofNullable(span[0]),
                Optional.ofNullable(span[1]));
    }

    private static void readInto(
            Path file,
            Map<String, byte[]> responses,
            Map<String, String> info,
            Map<String, HttpExchange> exchanges,
            Map<String, MessageHeaders> metadata,
            Map<String, Instant> requested,
            Instant[] span,
            boolean tornEnds) {
        boolean infoRead = !info.isEmpty();
        boolean any = false;
        try (WarcReader reader = new WarcReader(file)) {
            for (WarcRecord record : reader) {
                any = true;
                if (!(record instanceof Warcinfo)) {
                    Instant date = record.date();
                    span[0] = span[0] == null || date.isBefore(span[0]) ? date : span[0];
                    span[1] = span[1] == null || date.isAfter(span[1]) ? date : span[1];
                }
                if (record instanceof Warcinfo warcinfo && !infoRead) {
                    infoRead = true;
                    warcinfo.fields().map().forEach((k, v) -> info.put(k, String.join(" ", v)));
                } else if (record instanceof WarcResponse response
                        && response.contentType().base().equals(WarcRecorder.DNS_MESSAGE)) {
                    byte[] wire = response.body().stream().readAllBytes();
                    Message message = new Message(wire);
                    responses.putIfAbsent(key(message.getQuestion()), wire);
                } else if (record instanceof WarcRequest request
                        && request.contentType().base().equals(MediaType.HTTP)) {
                    requested.putIfAbsent(request.target(), request.date());
                } else if (record instanceof WarcResponse response
                        && response.contentType().base().equals(MediaType.HTTP)) {
                    if (!exchanges.containsKey(response.target())) {
                        exchanges.put(response.target(), HttpReplay.exchange(response));
                    }
                } else if (record instanceof WarcMetadata meta) {
                    metadata.putIfAbsent(meta.target(), meta.fields());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (tornEnds && any) {
                LOG.warn("{}: read up to a torn end ({})", file, e.toString());
                return;
            }
            throw new SnapshotException(file, "not a readable WARC snapshot (" + e.getMessage() + ")", e);
        }
    }

    /** When the earliest exchange in the snapshot was recorded; empty for a snapshot without exchanges. */
    public Optional<Instant> firstRecorded() {
        return firstRecorded;
    }

    /** When the latest exchange in the snapshot was recorded; empty for a snapshot without exchanges. */
    public Optional<Instant> lastRecorded() {
        return lastRecorded;
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

    /** The number of recorded HTTP exchanges. */
    public int httpExchanges() {
        return exchanges.size();
    }

    /** Whether the snapshot recorded an exchange with {@code url}. */
    @Override
    public boolean holds(URI url) {
        return exchanges.containsKey(url.toString());
    }

    /** Answers a GET from the snapshot; a URL that was not recorded gets no response, as if it had timed out. */
    @Override
    public HttpExchange get(URI url, List<InetAddress> addresses, Duration timeout, long maxBytes) {
        HttpExchange recorded = exchanges.get(url.toString());
        if (recorded == null) {
            return HttpExchange.failed(url, Instant.EPOCH, Optional.empty(), "timed out (not in snapshot)");
        }
        if (recorded.body().length <= maxBytes) {
            return recorded;
        }
        return new HttpExchange(
                recorded.url(),
                recorded.fetchedAt(),
                recorded.address(),
                recorded.status(),
                recorded.headers(),
                java.util.Arrays.copyOf(recorded.body(), (int) maxBytes),
                true,
                recorded.tls(),
                recorded.error());
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
