package dev.chokepoint.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Writes DNS exchanges to a WARC file: a {@code request} record with the query and a {@code response} record with the
 * answer, both as {@code application/dns-message} (RFC 8484) under a {@code dns:} target URI (RFC 4501).
 */
public final class WarcRecorder implements Closeable {
    /** The media type of a DNS message in wire format. */
    public static final MediaType DNS_MESSAGE = MediaType.parse("application/dns-message");

    private final Path file;
    private final WarcWriter writer;

    private WarcRecorder(Path file, WarcWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Creates (or replaces) {@code file}, gzip-compressed per record when its name ends in {@code .gz}, and writes a
     * {@code warcinfo} record with {@code info}.
     */
    public static WarcRecorder create(Path file, Map<String, String> info) {
        try {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            WarcCompression compression =
                    file.getFileName().toString().endsWith(".gz") ? WarcCompression.GZIP : WarcCompression.NONE;
            WarcWriter writer = new WarcWriter(channel, compression);
            Map<String, List<String>> fields = new LinkedHashMap<>();
            info.forEach((k, v) -> fields.put(k, List.of(v)));
            writer.write(new Warcinfo.Builder()
                    .filename(file.getFileName().toString())
                    .fields(fields)
                    .build());
            return new WarcRecorder(file, writer);
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot write snapshot (" + e.getMessage() + ")", e);
        }
    }

    /** Records one exchange with the resolver at {@code server}. */
    public void recordDns(Message query, Message response, Optional<InetAddress> server, Instant sent) {
        Record question = query.getQuestion();
        URI target = URI.create("dns:" + dnsUriName(question) + "?type=" + Type.string(question.getType()));
        try {
            WarcRequest.Builder request =
                    new WarcRequest.Builder(target).date(sent).body(DNS_MESSAGE, query.toWire());
            server.ifPresent(request::ipAddress);
            WarcRequest requestRecord = request.build();
            WarcResponse.Builder answer = new WarcResponse.Builder(target)
                    .date(sent)
                    .concurrentTo(requestRecord.id())
                    .body(DNS_MESSAGE, response.toWire());
            server.ifPresent(answer::ipAddress);
            synchronized (writer) {
                writer.write(requestRecord);
                writer.write(answer.build());
            }
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot write snapshot (" + e.getMessage() + ")", e);
        }
    }

    private static String dnsUriName(Record question) {
        String name = question.getName().toString(true);
        return name.isEmpty() ? "." : name;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new SnapshotException(file, "cannot close snapshot (" + e.getMessage() + ")", e);
        }
    }
}
