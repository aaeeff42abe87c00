package dev.chokepoint.testdns;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/** Encodes responses for one transport, truncating UDP answers that exceed the client's limit. */
final class ResponseWire {

    /** The UDP payload limit for clients that send no EDNS OPT record (RFC 1035). */
    static final int CLASSIC_UDP_LIMIT = 512;

    private ResponseWire() {}

    /**
     * The UDP bytes for the response: the whole message if it fits the client's advertised size,
     * otherwise a TC response without records so that the client retries over TCP.
     *
     * <p>Unlike {@link Message#toWire(int)}, which keeps the RRsets that happen to fit, this never
     * sends a partial answer, so tests see the same behaviour whatever the record sizes.
     */
    static byte[] forUdp(Message query, Message response) {
        byte[] whole = response.toWire();
        if (whole.length <= udpLimit(query)) {
            return whole;
        }
        return truncated(response).toWire();
    }

    /** The TCP bytes for the response, without the length prefix. */
    static byte[] forTcp(Message response) {
        return response.toWire(Message.MAXLENGTH);
    }

    private static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? CLASSIC_UDP_LIMIT : Math.max(CLASSIC_UDP_LIMIT, opt.getPayloadSize());
    }

    private static Message truncated(Message response) {
        Message truncated = response.clone();
        OPTRecord opt = response.getOPT();
        truncated.removeAllRecords(Section.ANSWER);
        truncated.removeAllRecords(Section.AUTHORITY);
        truncated.removeAllRecords(Section.ADDITIONAL);
        if (opt != null) {
            truncated.addRecord(opt, Section.ADDITIONAL);
        }
        truncated.getHeader().setFlag(Flags.TC);
        return truncated;
    }
}
