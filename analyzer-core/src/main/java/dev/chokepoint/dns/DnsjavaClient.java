package dev.chokepoint.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A {@link DnsClient} on dnsjava's {@link Resolver}: turns responses into typed outcomes and asks each question once
 * per client.
 *
 * <p>Answers are kept for the client's lifetime rather than cached by TTL: an audit (or a batch) is a snapshot, and
 * asking the same question twice could give two different answers within one snapshot, which would make the result
 * depend on timing and break replay equality. For batches the cache is bounded (Caffeine's W-TinyLFU eviction).
 */
public final class DnsjavaClient implements DnsClient {
    private static final Logger LOG = LoggerFactory.getLogger(DnsjavaClient.class);

    /** Entries kept by default: far more than one audit asks, bounded for batches of any length. */
    public static final long DEFAULT_CACHE_ENTRIES = 1_000_000;

    private final Resolver resolver;
    private final Cache<Question, CompletableFuture<DnsOutcome>> answers;
    private final int backoffRetries;
    private final LongAdder queries = new LongAdder();

    /** Creates a client that sends every query through {@code resolver}, with no retry beyond the resolver's own. */
    public DnsjavaClient(Resolver resolver) {
        this(resolver, DEFAULT_CACHE_ENTRIES, 0);
    }

    /**
     * Creates a client for batches: at most {@code cacheEntries} answers are kept, and a question that timed out is
     * asked again up to {@code backoffRetries} times, waiting 200 ms, 400 ms, ... first.
     */
    public DnsjavaClient(Resolver resolver, long cacheEntries, int backoffRetries) {
        this.resolver = resolver;
        // The values are futures, so that a question in flight holds no lock: every site that asks it meanwhile waits
        // on the one future. Not Caffeine's AsyncCache, which writes each entry a second time when its future
        // completes (to update weights and expiry this cache has none of), on the resolver's one reading thread.
        // Evictions run on the calling thread rather than on the common pool.
        this.answers = Caffeine.newBuilder()
                .maximumSize(cacheEntries)
                .executor(Runnable::run)
                .build();
        this.backoffRetries = backoffRetries;
    }

    /**
     * Where backoff retries wait. Answers themselves complete on the resolver's own thread (see {@link #ask}); the
     * common pool, dnsjava's default, is shared with everything else and measured five times slower.
     */
    private static final Executor EXECUTOR = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "chokepoint-dns");
        thread.setDaemon(true);
        return thread;
    });

    /** The number of queries sent to the network (cache hits not counted). */
    public long queriesSent() {
        return queries.sum();
    }

    /**
     * Builds a dnsjava resolver for {@code settings}: one {@link MultiplexedUdpResolver} per address (which retries a
     * truncated answer over TCP); several are combined by an {@link ExtendedResolver} that moves on to the next
     * resolver on failure.
     */
    public static Resolver resolverFor(DnsSettings settings) {
        return resolverFor(settings, 0);
    }

    /**
     * The resolvers of {@code settings} that give no answer at all to one question ({@code . SOA}; any response code
     * counts as an answer), each asked as a scan asks (its timeout, its retries). A scan checks before it starts, so
     * that a wrong {@code --resolver} or a machine without a network fails at once, instead of recording every site of
     * a long list as not audited, a few seconds each.
     */
    public static List<InetSocketAddress> silentResolvers(DnsSettings settings) {
        Message probe = Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN));
        // The resolver's own timeout ends each attempt; this bound only guards against a wait that never ends.
        long bound = settings.timeout().multipliedBy(settings.retries() + 2).toMillis();
        List<InetSocketAddress> silent = new ArrayList<>();
        for (InetSocketAddress address : settings.resolvers()) {
            try (MultiplexedUdpResolver resolver = new MultiplexedUdpResolver(address)) {
                resolver.setTimeout(settings.timeout());
                resolver.setRetries(settings.retries());
                resolver.sendAsync(probe).toCompletableFuture().get(bound, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                silent.add(address);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                silent.add(address);
            }
        }
        return silent;
    }

    /** Like {@link #resolverFor(DnsSettings)}, with at most {@code queriesPerSecond} to each resolver (0: no limit). */
    public static Resolver resolverFor(DnsSettings settings, double queriesPerSecond) {
        List<Resolver> simple = new ArrayList<>();
        boolean single = settings.resolvers().size() == 1;
        for (InetSocketAddress address : settings.resolvers()) {
            MultiplexedUdpResolver one = new MultiplexedUdpResolver(address);
            one.setTimeout(settings.timeout());
            // With one resolver there is nobody to move on to: it resends itself, without a second layer on top.
            one.setRetries(single ? settings.retries() : 0);
            simple.add(queriesPerSecond > 0 ? new RateLimitedResolver(one, queriesPerSecond) : one);
        }
        if (single) {
            return simple.getFirst();
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
        try {
            // The cache asks each question once even when many sites ask it at the same moment.
            return answers.get(question, q -> askWithBackoff(q, 0)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DnsOutcome.Timeout(question, "interrupted");
        } catch (ExecutionException e) {
            // askWithBackoff turns failures into outcomes; this is a bug's last line of defence.
            return timeout(question, e.getCause());
        }
    }

    /** Asks {@code question}, and again after 200 ms, 400 ms, ... while it times out, up to the retries allowed. */
    private CompletableFuture<DnsOutcome> askWithBackoff(Question question, int attempt) {
        return ask(question).thenCompose(outcome -> {
            if (attempt >= backoffRetries || !(outcome instanceof DnsOutcome.Timeout)) {
                return CompletableFuture.completedFuture(outcome);
            }
            Executor later = CompletableFuture.delayedExecutor(200L << attempt, TimeUnit.MILLISECONDS, EXECUTOR);
            return CompletableFuture.supplyAsync(() -> attempt + 1, later)
                    .thenCompose(next -> askWithBackoff(question, next));
        });
    }

    /** Sends {@code question} once; the outcome is a timeout however the exchange fails, never an exception. */
    private CompletableFuture<DnsOutcome> ask(Question question) {
        queries.increment();
        try {
            // Message.newQuery, with the ID from MessageIds rather than from dnsjava's platform SecureRandom.
            Message query = new Message(MessageIds.next());
            query.getHeader().setFlag(Flags.RD);
            query.addRecord(Record.newRecord(question.name(), question.type(), DClass.IN), Section.QUESTION);
            // The answer is taken on the thread that completes it (for the multiplexed resolver, its socket's
            // reader): a hop to a pool of our own cost a thread handoff per query and a tenth of the system time.
            return resolver.sendAsync(query, Runnable::run)
                    .toCompletableFuture()
                    .handle((response, failure) ->
                            failure == null ? interpret(question, response) : timeout(question, failure));
        } catch (RuntimeException e) {
            // dnsjava throws some failures (a closed channel) rather than failing the future.
            return CompletableFuture.completedFuture(timeout(question, e));
        }
    }

    private static DnsOutcome timeout(Question question, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOG.debug("no answer to {}: {}", question, cause.toString());
        return new DnsOutcome.Timeout(
                question, describe(cause instanceof Exception e ? e : new RuntimeException(cause)));
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Turns a response message into an outcome for {@code question}. */
    public static DnsOutcome interpret(Question question, Message response) {
        int rcode = response.getRcode();
        List<Record> answer = response.getSection(Section.ANSWER);
        Optional<SOARecord> soa = Optional.empty();
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord first) {
                soa = Optional.of(first);
                break;
            }
        }
        if (rcode == Rcode.NXDOMAIN) {
            List<Record> aliases = new ArrayList<>();
            for (Record r : answer) {
                if (r instanceof CNAMERecord) {
                    aliases.add(r);
                }
            }
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
