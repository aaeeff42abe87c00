package dev.chokepoint.snapshot;

import dev.chokepoint.dns.ReceivedMessage;
import dev.chokepoint.web.CertificateInfo;
import dev.chokepoint.web.HttpExchange;
import dev.chokepoint.web.OkHttpWebClient;
import dev.chokepoint.web.TlsObservation;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcMetadata;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;
import org.xbill.DNS.Message;

/**
 * Writes DNS exchanges to a WARC file: a {@code request} record with the query and a {@code response} record with the
 * answer, both as {@code application/dns-message} (RFC 8484) under a {@code dns:} target URI (RFC 4501).
 *
 * <p>Callers of {@link #recordHttp} build their records in parallel; a DNS exchange is queued as its two messages'
 * bytes and becomes records on the writer thread ({@link DnsExchangeRecords}), which serialises and compresses
 * everything in arrival order. A lock around the writer instead made every recording thread wait (and, as virtual
 * threads, spin) while one record was compressed: a third of a batch scan's CPU time went there. DNS exchanges are
 * queued without waiting; {@link #awaitWritten()} returns once everything queued before it is in the file (the
 * operating system's cache), so a caller that waits for it knows those records survive the process being killed. HTTP
 * exchanges wait for their own.
 *
 * <p>A {@code .gz} file holds one gzip member per stretch of records between two such waits (at most about {@value
 * #MEMBER_BYTES} bytes before compression), not one member per record as most crawlers write. A DNS record is a few
 * hundred bytes: a member of its own cost a fresh zlib stream (about 15 µs per record, the writer thread's largest
 * item and a sixth of a whole scan's CPU time) and compressed to nothing, since the repeated header fields sit in
 * other members. Grouped, a 10,000-site scan's snapshot took a quarter of the space. Every gzip reader, jwarc and
 * Python's {@code gzip} included, reads the file whole; tools that index single records by offset (CDX) need one record
 * per member, which {@code warcio recompress} makes.
 */
public final class WarcRecorder implements Closeable {
    /** The media type of a DNS message in wire format. */
    public static final MediaType DNS_MESSAGE = MediaType.parse("application/dns-message");

    /** Records waiting for the writer; a full queue holds up the recording threads (bounded memory). */
    private static final int QUEUE_CAPACITY = 4096;

    /** Uncompressed bytes after which a gzip member is closed, even while the writer has more records at hand. */
    static final int MEMBER_BYTES = 1 << 20;

    private final Path file;
    private final RecordIds ids;
    private final WarcWriter writer;
    private final OutputStream out;
    /** What {@link #writer} wrote since the last gzip member, for a {@code .gz} file; null for a plain one. */
    private final ByteArrayOutputStream pending;
    /** Where records are written before compression: {@link #pending}, or the file itself for a plain one. */
    private final OutputStream sink;
    /** Serialises DNS exchanges; used by the writer thread alone. */
    private final DnsExchangeRecords dnsRecords = new DnsExchangeRecords();

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writerThread;
    private volatile SnapshotException failure;
    private volatile boolean closed;

    /**
     * Records to write together, and the future to complete once they are in the file; {@code written} is null when
     * nobody waits for these records, which lets the writer gather them into fewer, larger gzip members.
     */
    private record Batch(List<WarcRecord> records, DnsExchangeRecords.Exchange dns, CompletableFuture<Void> written) {}

    private static final Batch END = new Batch(List.of(), null, null);

    private WarcRecorder(Path file, RecordIds ids, WarcWriter writer, OutputStream out, ByteArrayOutputStream pending) {
        this.file = file;
        this.ids = ids;
        this.writer = writer;
        this.out = out;
        this.pending = pending;
        this.sink = pending == null ? out : pending;
        this.writerThread = Thread.ofPlatform().name("warc-writer").daemon(true).start(this::drain);
    }

    /** The {@code format} field of the {@code warcinfo} record: the version every record is written in. */
    static final String FORMAT = "WARC File Format 1.0";

    /**
     * Creates (or replaces) {@code file}, gzip-compressed per record when its name ends in {@code .gz}, and writes a
     * {@code warcinfo} record with {@code info} and the {@code format} of the file.
     */
    public static WarcRecorder create(Path file, Map<String, String> info) {
        try {
            // Buffered, and flushed once per group of records the writer thread takes from the queue: a write call
            // per record part (header, body, gzip trailer) made the writer thread the scan's bottleneck.
            BufferedOutputStream out = new BufferedOutputStream(
                    Files.newOutputStream(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING),
                    1 << 16);
            // jwarc writes plain records; for a .gz file they collect in `pending` and go out in gzip members.
            ByteArrayOutputStream pending =
                    file.getFileName().toString().endsWith(".gz") ? new ByteArrayOutputStream(1 << 16) : null;
            WarcWriter writer =
                    new WarcWriter(new StreamChannel(pending == null ? out : pending), WarcCompression.NONE);
            Map<String, List<String>> fields = new LinkedHashMap<>();
            info.forEach((k, v) -> fields.put(k, List.of(v)));
            // The version jwarc writes every record in (its default), not one the caller might assume.
            fields.put("format", List.of(FORMAT));
            RecordIds ids = new RecordIds();
            writer.write(new Warcinfo.Builder()
                    .recordId(ids.next())
                    .filename(file.getFileName().toString())
                    .fields(fields)
                    .build());
            compressPending(pending, out);
            out.flush();
            return new WarcRecorder(file, ids, writer, out, pending);
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot write snapshot (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Queues one exchange with the resolver at {@code server} for writing. Nobody waits for it: {@link
     * #awaitWritten()} does, for everything queued before, and says when the snapshot cannot be written.
     *
     * <p>When the response kept the exchange's bytes ({@link ReceivedMessage}), the records hold them: the query as
     * sent, with the ID and EDNS record the resolver gave it. Otherwise both messages are serialised again.
     */
    public void recordDns(Message query, Message response, Optional<InetAddress> server, Instant sent) {
        // A response that kept its bytes records the exchange as it crossed the wire, without serialising it again.
        ReceivedMessage received = response instanceof ReceivedMessage r ? r : null;
        byte[] queryWire = received != null ? received.queryWire() : query.toWire();
        byte[] responseWire = received != null ? received.wire() : response.toWire();
        // The records themselves are made on the writer thread: the caller is most often the resolver's one reading
        // thread, which every answer waits for.
        DnsExchangeRecords.Exchange exchange = new DnsExchangeRecords.Exchange(
                query.getQuestion(), queryWire, responseWire, server.orElse(null), sent);
        enqueue(new Batch(List.of(), exchange, null));
    }

    /** Queues a record of the caller's making and returns once it is written; for tests of the writer. */
    void append(WarcRecord record) {
        await(enqueue(new Batch(List.of(record), null, new CompletableFuture<>())));
    }

    /**
     * Returns once every record queued before this call is written to the file (the operating system's cache).
     *
     * @throws SnapshotException when they cannot be written
     */
    public void awaitWritten() {
        await(enqueue(new Batch(List.of(), null, new CompletableFuture<>())));
    }

    /** The WARC field names of the TLS and error metadata recorded with each HTTP exchange. */
    static final String TLS_PROTOCOL = "tls-protocol";

    static final String TLS_TRUST_ERROR = "tls-trust-error";
    static final String TLS_HOSTNAME_MATCH = "tls-hostname-match";
    static final String CERTIFICATE = "certificate";
    static final String FETCH_ERROR = "fetch-error";

    /**
     * Records one HTTP exchange: a {@code request} record, a {@code response} record with the status, headers and the
     * raw body as received (marked truncated when cut), and a {@code metadata} record with the certificate chain
     * and what validating it said, or why there was no response.
     */
    public void recordHttp(HttpExchange exchange) {
        URI target = exchange.url();
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        String request = "GET " + path + query + " HTTP/1.1\r\n" + "Host: " + target.getHost() + "\r\n" + "User-Agent: "
                + OkHttpWebClient.USER_AGENT + "\r\n" + "Accept-Encoding: gzip\r\n\r\n";
        WarcRequest.Builder requestBuilder = new WarcRequest.Builder(target)
                .recordId(ids.next())
                .date(exchange.fetchedAt())
                .body(MediaType.HTTP_REQUEST, request.getBytes(StandardCharsets.ISO_8859_1));
        WarcRequest requestRecord = requestBuilder.build();
        List<WarcRecord> records = new ArrayList<>();
        records.add(requestRecord);
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (exchange.answered()) {
            ByteArrayOutputStream http = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder("HTTP/1.1 " + exchange.status() + " \r\n");
            for (Map.Entry<String, String> header : exchange.headers()) {
                head.append(header.getKey())
                        .append(": ")
                        .append(header.getValue())
                        .append("\r\n");
            }
            head.append("\r\n");
            http.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            http.writeBytes(exchange.body());
            WarcResponse.Builder response = new WarcResponse.Builder(target)
                    .recordId(ids.next())
                    .date(exchange.fetchedAt())
                    .concurrentTo(requestRecord.id())
                    .body(MediaType.HTTP_RESPONSE, http.toByteArray());
            exchange.address()
                    .map(com.google.common.net.InetAddresses::forString)
                    .ifPresent(response::ipAddress);
            if (exchange.bodyTruncated()) {
                response.truncated(WarcTruncationReason.LENGTH);
            }
            records.add(response.build());
            exchange.tls().ifPresent(tls -> tlsFields(tls, fields));
        } else {
            fields.put(FETCH_ERROR, List.of(exchange.error().orElse("")));
        }
        if (!fields.isEmpty()) {
            records.add(new WarcMetadata.Builder()
                    .recordId(ids.next())
                    .targetURI(target)
                    .date(exchange.fetchedAt())
                    .concurrentTo(requestRecord.id())
                    .fields(fields)
                    .build());
        }
        await(enqueue(new Batch(records, null, new CompletableFuture<>())));
    }

    private static void tlsFields(TlsObservation tls, Map<String, List<String>> fields) {
        fields.put(TLS_PROTOCOL, List.of(tls.protocol()));
        tls.trustError().ifPresent(e -> fields.put(TLS_TRUST_ERROR, List.of(e.replaceAll("[\\r\\n]+", " "))));
        fields.put(TLS_HOSTNAME_MATCH, List.of(Boolean.toString(tls.hostnameMatches())));
        List<String> chain = new ArrayList<>();
        for (CertificateInfo certificate : tls.chain()) {
            chain.add(Base64.getEncoder().encodeToString(certificate.der()));
        }
        fields.put(CERTIFICATE, chain);
    }

    /** Queues {@code batch}; returns its future (null if nobody waits), or a failed one once nothing can be written. */
    private CompletableFuture<Void> enqueue(Batch batch) {
        SnapshotException failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new SnapshotException(file, "snapshot already closed", null));
        }
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new SnapshotException(file, "interrupted while recording", e));
        }
        return batch.written();
    }

    private void await(CompletableFuture<Void> written) {
        try {
            written.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof SnapshotException snapshot) {
                throw snapshot;
            }
            throw e;
        }
    }

    /** The writer thread: writes what is queued, in order, and completes each batch's future after the write. */
    private void drain() {
        List<Batch> taken = new ArrayList<>();
        while (true) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken);
            boolean end = taken.removeIf(batch -> batch == END); // the marker itself, not an equal batch
            write(taken, end);
            taken.clear();
            if (end) {
                // A record that slipped in as the recorder closed must not leave its caller waiting for ever.
                queue.drainTo(taken);
                SnapshotException closedFailure = new SnapshotException(file, "snapshot already closed", null);
                waiters(taken).forEach(written -> written.completeExceptionally(closedFailure));
                return;
            }
        }
    }

    /**
     * Writes the records of {@code batches}. When someone waits for one of them (or {@code last}), also closes the
     * gzip member, flushes, then completes their futures; otherwise the records stay in the buffer for a larger
     * member (nothing written later depends on them yet, so a crash that loses them loses no result).
     */
    private void write(List<Batch> batches, boolean last) {
        SnapshotException failed = failure;
        if (failed == null) {
            try {
                for (Batch batch : batches) {
                    for (WarcRecord record : batch.records()) {
                        writer.write(record);
                    }
                    if (batch.dns() != null) {
                        dnsRecords.write(batch.dns(), ids.next(), ids.next(), sink);
                    }
                    if (pending != null && pending.size() >= MEMBER_BYTES) {
                        compressPending(pending, out);
                    }
                }
                List<CompletableFuture<Void>> waiters = waiters(batches).toList();
                if (!waiters.isEmpty() || last) {
                    compressPending(pending, out);
                    out.flush();
                    waiters.forEach(written -> written.complete(null));
                }
                return;
            } catch (IOException | RuntimeException | Error e) {
                // An Error too (out of memory, a library's assertion): the writer must live on to fail whoever waits
                // and to keep the queue moving, or the scan would hang instead of stopping with the reason.
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                failed = new SnapshotException(file, "cannot write snapshot (" + reason + ")", e);
                failure = failed;
            }
        }
        for (CompletableFuture<Void> written : waiters(batches).toList()) {
            written.completeExceptionally(failed);
        }
    }

    /** The futures of the batches someone waits for. */
    private static Stream<CompletableFuture<Void>> waiters(List<Batch> batches) {
        return batches.stream().map(Batch::written).filter(Objects::nonNull);
    }

    /** Writes what is in {@code pending} (if anything) to {@code out} as one gzip member, and empties it. */
    private static void compressPending(ByteArrayOutputStream pending, OutputStream out) throws IOException {
        if (pending == null || pending.size() == 0) {
            return;
        }
        GzipMember member = new GzipMember(out);
        try {
            pending.writeTo(member);
            member.finish();
        } finally {
            member.release();
        }
        pending.reset();
    }

    /**
     * A channel onto a stream that hands a heap buffer's bytes straight to it. {@link Channels#newChannel(OutputStream)}
     * copies them through a buffer of its own and marks the thread as blocked around each write, for interruption; jwarc
     * makes three writes per record, and the writer thread, which nobody interrupts, paid for both every time.
     */
    static final class StreamChannel implements WritableByteChannel {
        private final OutputStream out;
        private boolean open = true;

        StreamChannel(OutputStream out) {
            this.out = out;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            int length = src.remaining();
            if (src.hasArray()) {
                out.write(src.array(), src.arrayOffset() + src.position(), length);
                src.position(src.limit());
            } else {
                byte[] bytes = new byte[length];
                src.get(bytes);
                out.write(bytes);
            }
            return length;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false; // the recorder closes the stream itself
        }
    }

    /**
     * One gzip member at {@link Deflater#BEST_SPEED}: within a member of many small records the repeated header fields
     * compress nearly as well at the fastest level as at the default one (about 6% larger, at half the time, in a
     * measurement on DNS-sized records). Finishing it leaves {@code out} open.
     */
    private static final class GzipMember extends GZIPOutputStream {
        GzipMember(OutputStream out) throws IOException {
            super(out, 4096); // a buffer per member: 64 KiB here was an eighth of a scan's allocation
            def.setLevel(Deflater.BEST_SPEED);
        }

        /** Frees the compressor's native memory now rather than when the collector finds it. */
        void release() {
            def.end();
        }
    }

    /** Waits for every queued record to be written, then closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(END);
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
            out.close(); // writer's channel is `pending` for a .gz file
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot close snapshot (" + e.getMessage() + ")", e);
        }
        SnapshotException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }
}
