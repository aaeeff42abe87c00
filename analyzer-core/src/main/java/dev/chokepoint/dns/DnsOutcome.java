package dev.chokepoint.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** What the DNS said to one question: data, a typed negative answer, or no answer at all. */
public sealed interface DnsOutcome {
    /** The question this outcome answers. */
    Question question();

    /** A short label for reports: {@code answer}, {@code NXDOMAIN}, {@code no data}, {@code SERVFAIL}, ... */
    String label();

    /**
     * A NOERROR response with records in the answer section.
     *
     * @param records the answer section as received, CNAME hops included
     */
    record Answer(Question question, List<Record> records) implements DnsOutcome {
        /** Copies the record list. */
        public Answer {
            records = List.copyOf(records);
        }

        /** Records of the question's type owned by {@code owner}. */
        public List<Record> recordsAt(org.xbill.DNS.Name owner, int type) {
            // A loop, not a stream: every lookup of a batch scan comes through here, most with one or two records.
            List<Record> found = new ArrayList<>(records.size());
            for (Record r : records) {
                if (r.getType() == type && r.getName().equals(owner)) {
                    found.add(r);
                }
            }
            return Collections.unmodifiableList(found);
        }

        /** The CNAME owned by {@code owner} in this answer, if any. */
        public Optional<CNAMERecord> cnameAt(org.xbill.DNS.Name owner) {
            return cnameAt(records, owner);
        }

        /** The CNAME record at {@code owner} among {@code records}: an answer's, or an NXDOMAIN's aliases. */
        static Optional<CNAMERecord> cnameAt(List<Record> records, org.xbill.DNS.Name owner) {
            for (Record r : records) {
                if (r instanceof CNAMERecord cname && r.getName().equals(owner)) {
                    return Optional.of(cname);
                }
            }
            return Optional.empty();
        }

        @Override
        public String label() {
            return "answer";
        }
    }

    /**
     * NOERROR with an empty answer: the name exists, the type does not.
     *
     * @param soa the SOA from the authority section, which names the enclosing zone
     */
    record NoData(Question question, Optional<SOARecord> soa) implements DnsOutcome {
        @Override
        public String label() {
            return "no data";
        }
    }

    /**
     * NXDOMAIN: the name does not exist.
     *
     * @param soa the SOA from the authority section, which names the enclosing zone
     * @param aliases CNAME records that led to the missing name, if the server followed any
     */
    record NoSuchDomain(Question question, Optional<SOARecord> soa, List<Record> aliases) implements DnsOutcome {
        /** Copies the alias list. */
        public NoSuchDomain {
            aliases = List.copyOf(aliases);
        }

        @Override
        public String label() {
            return "NXDOMAIN";
        }
    }

    /**
     * The server answered with an error code: SERVFAIL, REFUSED, NOTIMP or FORMERR.
     *
     * @param rcode the response code, an {@link Rcode} constant
     */
    record ServFail(Question question, int rcode) implements DnsOutcome {
        @Override
        public String label() {
            return Rcode.string(rcode);
        }
    }

    /**
     * No usable response from any resolver within the timeout and retries.
     *
     * @param detail what went wrong, for people
     */
    record Timeout(Question question, String detail) implements DnsOutcome {
        @Override
        public String label() {
            return "timeout";
        }
    }
}
