package dev.chokepoint.testdns;

import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** What one served zone says about a name and type, before it is turned into a DNS message. */
sealed interface ZoneAnswer {

    /** The name holds the type: these RRsets answer the question. */
    record Found(List<RRset> rrsets) implements ZoneAnswer {
        public Found {
            rrsets = List.copyOf(rrsets);
        }
    }

    /** The name is an alias: the CNAME RRset is the whole answer unless the server chases it. */
    record Alias(RRset cname) implements ZoneAnswer {
        /** The name the alias points to. */
        Name target() {
            return ((CNAMERecord) cname.first()).getTarget();
        }
    }

    /** The name exists but holds no record of the type. */
    record NoData() implements ZoneAnswer {}

    /** The name does not exist in the zone. */
    record NxDomain() implements ZoneAnswer {}

    /** The name lies under a delegation to a zone this server does not serve. */
    record Referral(RRset nameServers, List<RRset> glue) implements ZoneAnswer {
        public Referral {
            glue = List.copyOf(glue);
        }
    }
}
