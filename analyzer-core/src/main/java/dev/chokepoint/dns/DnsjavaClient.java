package dev.chokepoint.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * A {@link DnsClient} on dnsjava's {@link Resolver}: turns responses into typed outcomes and asks each question once
 * per client.
 *
 * <p>Answers are memoised for the client's lifetime rather than cached by TTL: an audit (or a batch) is a snapshot,
 * and asking the same question twice could give two different answers within one snapshot, which would make the
 * result depend on timing and break replay equality.
 */
public final class DnsjavaClient implements DnsClient {
    private static final Logger LOG = LoggerFactory.getLogger(DnsjavaClient.class);

    private final Resolver resolver;
    private final ConcurrentMap<Question, CompletableFuture<DnsOutcome>> answers = new ConcurrentHashMap<>();

    /** Creates a client that sends every query through {@code resolver}. */
    public DnsjavaClient(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Builds a dnsjava resolver for {@code settings}: one {@link SimpleResolver} per address (which retries a truncated
     * UDP answer over TCP), combined by an {@link ExtendedResolver} that moves on to the next resolver on failure.
     */
    public static Resolver resolverFor(DnsSettings settings) {
        List<Resolver> simple = new ArrayList<>();
        for (InetSocketAddress address : settings.resolvers()) {
            SimpleResolver one = new SimpleResolver(address);
            one.setTimeout(settings.timeout());
            simple.add(one);
        }
        ExtendedResolver extended = new ExtendedResolver(simple);
        extended.setRetries(settings.retries() + 1);
        extended.setLoadBalance(false);
        // The overall bound: every attempt at every resolver, plus a margin for the TCP retry of a truncated answer.
        long attempts = (long) settings.resolvers().size() * (settings.retries() + 1);
        extended.setTimeout(settings.timeout().multipliedBy(attempts + 1));
        return extended;
    }

    @Override
    public DnsOutcome query(Question question) {
        CompletableFuture<DnsOutcome> mine = new CompletableFuture<>();
        CompletableFuture<DnsOutcome> existing = answers.putIfAbsent(question, mine);
        if (existing != null) {
            return existing.join();
        }
        DnsOutcome outcome = ask(question);
        mine.complete(outcome);
        return outcome;
    }

    private DnsOutcome ask(Question question) {
        Message query = Message.newQuery(Record.newRecord(question.name(), question.type(), DClass.IN));
        Message response;
        try {
            response = resolver.send(query);
        } catch (IOException e) {
            LOG.debug("no answer to {}: {}", question, e.toString());
            return new DnsOutcome.Timeout(question, describe(e));
        } catch (RuntimeException e) {
            // dnsjava wraps some failures (a malformed response, a closed channel) in unchecked exceptions.
            LOG.debug("failed to ask {}: {}", question, e.toString());
            return new DnsOutcome.Timeout(question, describe(e));
        }
        return interpret(question, response);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Turns a response message into an outcome for {@code question}. */
    public static DnsOutcome interpret(Question question, Message response) {
        int rcode = response.getRcode();
        List<Record> answer = response.getSection(Section.ANSWER);
        Optional<SOARecord> soa = response.getSection(Section.AUTHORITY).stream()
                .filter(SOARecord.class::isInstance)
                .map(SOARecord.class::cast)
                .findFirst();
        if (rcode == Rcode.NXDOMAIN) {
            List<Record> aliases =
                    answer.stream().filter(CNAMERecord.class::isInstance).toList();
            return new DnsOutcome.NoSuchDomain(question, soa, aliases);
        }
        if (rcode != Rcode.NOERROR) {
            return new DnsOutcome.ServFail(question, rcode);
        }
        if (answer.isEmpty()) {
            return new DnsOutcome.NoData(question, soa);
        }
        return new DnsOutcome.Answer(question, answer);
    }
}
