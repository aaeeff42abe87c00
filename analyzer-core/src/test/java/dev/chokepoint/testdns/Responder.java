package dev.chokepoint.testdns;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers a parsed query the way a recursive resolver that already knows every served zone would.
 *
 * <p>CNAMEs are returned alone unless chasing is switched on: Chokepoint must cope with resolvers
 * that leave the chain to the client, and that is the harder case to get right.
 */
final class Responder {

    /** The most CNAME hops followed in chasing mode; real resolvers stop at a similar depth. */
    private static final int MAX_CHASED_ALIASES = 16;

    /** The UDP payload size advertised back to EDNS clients, the DNS Flag Day 2020 value. */
    private static final int ADVERTISED_PAYLOAD = 1232;

    private final ServedZones zones;
    private final Faults faults;
    private volatile boolean chaseCnames;

    Responder(ServedZones zones, Faults faults) {
        this.zones = zones;
        this.faults = faults;
    }

    /** Switches between returning a CNAME alone and following it through the served zones. */
    void chaseCnames(boolean chase) {
        this.chaseCnames = chase;
    }

    /** The response to send, or empty when an injected fault says to stay silent. */
    Optional<Message> respond(Message query) {
        Message response = emptyResponse(query);
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return withRcode(response, Rcode.NOTIMP);
        }
        if (question == null || query.getHeader().getCount(Section.QUESTION) != 1) {
            return withRcode(response, Rcode.FORMERR);
        }
        Optional<Faults.Fault> fault = faults.forName(question.getName());
        if (fault.isPresent()) {
            return switch (fault.get()) {
                case DROP, DROP_ONCE -> Optional.empty();
                case SERVFAIL -> withRcode(response, Rcode.SERVFAIL);
                case REFUSE -> withRcode(response, Rcode.REFUSED);
            };
        }
        if (!isAnswerable(question)) {
            return withRcode(response, Rcode.REFUSED);
        }
        resolve(question.getName(), question.getType(), response);
        return Optional.of(response);
    }

    /** A SERVFAIL for the query, used when answering it threw. */
    Message serverFailure(Message query) {
        Message response = emptyResponse(query);
        response.getHeader().setRcode(Rcode.SERVFAIL);
        return response;
    }

    private static boolean isAnswerable(Record question) {
        int type = question.getType();
        // Zone transfers would need multi-message TCP streams, which no Chokepoint test uses.
        return question.getDClass() == DClass.IN && type != Type.AXFR && type != Type.IXFR;
    }

    private void resolve(Name questionName, int type, Message response) {
        Set<Name> visited = new HashSet<>();
        Name name = questionName;
        for (int hop = 0; hop <= MAX_CHASED_ALIASES; hop++) {
            visited.add(name);
            Optional<ServedZone> zone = zones.closestTo(name);
            if (zone.isEmpty()) {
                // After a chased alias leaves the served zones, the aliases so far are all that
                // can be said without real recursion, so the answer stays NOERROR.
                if (hop == 0) {
                    response.getHeader().setRcode(Rcode.REFUSED);
                }
                return;
            }
            ZoneAnswer answer = zone.get().lookup(name, type);
            switch (answer) {
                case ZoneAnswer.Found found -> {
                    response.getHeader().setFlag(Flags.AA);
                    found.rrsets().forEach(rrset -> addRRset(response, rrset, Section.ANSWER));
                    return;
                }
                case ZoneAnswer.Alias alias -> {
                    response.getHeader().setFlag(Flags.AA);
                    addRRset(response, alias.cname(), Section.ANSWER);
                    if (!chaseCnames || visited.contains(alias.target())) {
                        return;
                    }
                    name = alias.target();
                }
                case ZoneAnswer.NoData noData -> {
                    response.getHeader().setFlag(Flags.AA);
                    response.addRecord(zone.get().negativeSoa(), Section.AUTHORITY);
                    return;
                }
                case ZoneAnswer.NxDomain nxDomain -> {
                    response.getHeader().setFlag(Flags.AA);
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                    response.addRecord(zone.get().negativeSoa(), Section.AUTHORITY);
                    return;
                }
                case ZoneAnswer.Referral referral -> {
                    addRRset(response, referral.nameServers(), Section.AUTHORITY);
                    referral.glue().forEach(rrset -> addRRset(response, rrset, Section.ADDITIONAL));
                    return;
                }
            }
        }
    }

    private static void addRRset(Message response, RRset rrset, int section) {
        // rrs(false): dnsjava rotates the order on every rrs() call, which would make tests flaky.
        rrset.rrs(false).forEach(record -> response.addRecord(record, section));
    }

    private static Optional<Message> withRcode(Message response, int rcode) {
        response.getHeader().setRcode(rcode);
        return Optional.of(response);
    }

    private static Message emptyResponse(Message query) {
        Header queryHeader = query.getHeader();
        Message response = new Message(queryHeader.getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        header.setOpcode(queryHeader.getOpcode());
        if (queryHeader.getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(ADVERTISED_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return response;
    }
}
