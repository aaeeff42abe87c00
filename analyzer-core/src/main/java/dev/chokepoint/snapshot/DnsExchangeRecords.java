package dev.chokepoint.snapshot;

import com.google.common.net.InetAddresses;
import com.google.common.net.UrlEscapers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Serialises a DNS exchange's two records, byte for byte as jwarc writes a {@code WarcRequest} and a {@code
 * WarcResponse} built with the same fields (its header fields in case-insensitive order, the date to the second as
 * WARC 1.0 has it), without building them.
 *
 * <p>A batch scan records about ten exchanges a site, twenty records: jwarc's builders (a sorted map of header fields
 * per record, a random UUID and the current time drawn by each constructor, then a {@code StringBuilder} to write the
 * map out) were most of the snapshot's CPU time besides compression. Here the fixed parts are constant bytes and the
 * rest is copied into one reused buffer. Records of any other kind (HTTP, {@code warcinfo}) still go through jwarc, and
 * {@code WarcRecorderTest} checks these bytes against jwarc's own for the same exchange. One instance per writer
 * thread: not thread-safe.
 */
final class DnsExchangeRecords {
    /** One exchange as the recording thread queues it; everything else is worked out on the writer thread. */
    record Exchange(Record question, byte[] query, byte[] response, InetAddress server, Instant sent) {}

    private static final byte[] START = ascii("WARC/1.0\r\nContent-Length: ");
    private static final byte[] CONTENT_TYPE = ascii("\r\nContent-Type: application/dns-message\r\n");
    private static final byte[] CONCURRENT_TO = ascii("WARC-Concurrent-To: <urn:uuid:");
    private static final byte[] DATE = ascii("WARC-Date: ");
    private static final byte[] IP_ADDRESS = ascii("WARC-IP-Address: ");
    private static final byte[] RECORD_ID = ascii("WARC-Record-ID: <urn:uuid:");
    private static final byte[] TARGET = ascii("WARC-Target-URI: ");
    private static final byte[] REQUEST = ascii("WARC-Type: request\r\n\r\n");
    private static final byte[] RESPONSE = ascii("WARC-Type: response\r\n\r\n");
    private static final byte[] ID_END = ascii(">\r\n");
    private static final byte[] LINE_END = ascii("\r\n");
    private static final byte[] TRAILER = ascii("\r\n\r\n");

    private byte[] buffer = new byte[1024];
    private int length;

    // The date changes once a second and the server hardly ever: each is formatted when it changes.
    private long second = Long.MIN_VALUE;
    private String date = "";
    private InetAddress server;
    private String serverText = "";

    /** Writes {@code exchange}'s request record, then its response record, to {@code out}. */
    void write(Exchange exchange, UUID requestId, UUID responseId, OutputStream out) throws IOException {
        String target = target(exchange.question());
        if (exchange.sent().getEpochSecond() != second) {
            second = exchange.sent().getEpochSecond();
            date = Instant.ofEpochSecond(second).toString();
        }
        if (exchange.server() != null && !exchange.server().equals(server)) {
            server = exchange.server();
            serverText = InetAddresses.toAddrString(server);
        }
        String request = requestId.toString();
        boolean withServer = exchange.server() != null;
        record(exchange.query(), null, request, target, withServer, REQUEST, out);
        record(exchange.response(), request, responseId.toString(), target, withServer, RESPONSE, out);
    }

    /** One record: its header fields in jwarc's order (case-insensitive by name), the body, the trailer. */
    private void record(
            byte[] body,
            String concurrentTo,
            String id,
            String target,
            boolean withServer,
            byte[] typeAndEnd,
            OutputStream out)
            throws IOException {
        length = 0;
        put(START);
        put(Integer.toString(body.length));
        put(CONTENT_TYPE);
        if (concurrentTo != null) {
            put(CONCURRENT_TO);
            put(concurrentTo);
            put(ID_END);
        }
        put(DATE);
        put(date);
        put(LINE_END);
        if (withServer) {
            put(IP_ADDRESS);
            put(serverText);
            put(LINE_END);
        }
        put(RECORD_ID);
        put(id);
        put(ID_END);
        put(TARGET);
        put(target);
        put(LINE_END);
        put(typeAndEnd);
        out.write(buffer, 0, length);
        out.write(body);
        out.write(TRAILER);
    }

    /**
     * The record's target: a {@code dns:} URI (RFC 4501) of dnsjava's presentation form of the name, with what a URI
     * may not hold (the backslash of an escaped character, a space) percent-encoded, and the question's type.
     */
    private static String target(Record question) {
        String name = question.getName().toString(true);
        return "dns:"
                + (name.isEmpty() ? "." : UrlEscapers.urlPathSegmentEscaper().escape(name)) + "?type="
                + Type.string(question.getType());
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** Appends {@code text}, which is ASCII: a number, a date, an address, a UUID or an escaped URI. */
    private void put(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[length + i] = (byte) text.charAt(i);
        }
        length += n;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
