package dev.chokepoint.dns;

import java.io.IOException;
import org.xbill.DNS.Message;

/**
 * A response parsed from the bytes it arrived in, which keeps those bytes and the query's bytes as they were sent.
 *
 * <p>A recorder writes what crossed the wire (the query with the ID and EDNS record the resolver gave it) without
 * serialising either message again: at batch rates the two {@code toWire} calls per exchange were a tenth of the DNS
 * threads' time. The arrays are shared, not copied; nobody may change them.
 */
public final class ReceivedMessage extends Message {
    private final byte[] wire;
    private final byte[] queryWire;

    /** Parses {@code wire}, the answer to the query sent as {@code queryWire}. */
    public ReceivedMessage(byte[] wire, byte[] queryWire) throws IOException {
        super(wire);
        this.wire = wire;
        this.queryWire = queryWire;
    }

    /** The response as received. */
    public byte[] wire() {
        return wire;
    }

    /** The query as sent. */
    public byte[] queryWire() {
        return queryWire;
    }
}
