package dev.chokepoint.testdns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Turns raw query bytes from either transport into response bytes, and records every query. */
final class Dispatcher {

    private final Responder responder;
    private final List<String> queryLog = new ArrayList<>();

    Dispatcher(Responder responder) {
        this.responder = responder;
    }

    /** The bytes to send back, or empty when the packet deserves no answer; never throws. */
    Optional<byte[]> handle(byte[] packet, Transport transport) {
        try {
            return answer(packet, transport);
        } catch (RuntimeException e) {
            // A bug in the fixture must cost one answer, not the listener thread.
            return Optional.empty();
        }
    }

    private Optional<byte[]> answer(byte[] packet, Transport transport) {
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            return formatError(packet);
        }
        // Never answer a response: two servers pointed at each other would loop forever.
        if (query.getHeader().getFlag(Flags.QR)) {
            return Optional.empty();
        }
        record(query, transport);
        Optional<Message> response;
        try {
            response = responder.respond(query);
        } catch (RuntimeException e) {
            response = Optional.of(responder.serverFailure(query));
        }
        return response.map(message -> switch (transport) {
            case UDP -> ResponseWire.forUdp(query, message);
            case TCP -> ResponseWire.forTcp(message);
        });
    }

    /** How many queries have arrived, dropped ones included. */
    synchronized int queryCount() {
        return queryLog.size();
    }

    /** A snapshot of the query log in arrival order. */
    synchronized List<String> queryLog() {
        return List.copyOf(queryLog);
    }

    /** Forgets the queries seen so far. */
    synchronized void clearQueryLog() {
        queryLog.clear();
    }

    private synchronized void record(Message query, Transport transport) {
        Record question = query.getQuestion();
        String asked = question == null
                ? "(no question)"
                : question.getName().toString().toLowerCase(Locale.ROOT) + " " + Type.string(question.getType());
        queryLog.add(asked + " " + transport.label());
    }

    private static Optional<byte[]> formatError(byte[] packet) {
        if (packet.length < Header.LENGTH) {
            return Optional.empty();
        }
        try {
            Header header = new Header(packet);
            if (header.getFlag(Flags.QR)) {
                return Optional.empty();
            }
            Message response = new Message(header.getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setOpcode(header.getOpcode());
            response.getHeader().setRcode(Rcode.FORMERR);
            return Optional.of(response.toWire());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
