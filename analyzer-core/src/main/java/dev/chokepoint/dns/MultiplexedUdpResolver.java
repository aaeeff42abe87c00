package dev.chokepoint.dns;

import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;

/**
 * A dnsjava {@link Resolver} that sends every query to one server over long-lived UDP sockets (one by default) and
 * matches the answers by message ID and question, retrying over TCP (dnsjava's {@link SimpleResolver}) when an
 * answer is truncated.
 *
 * <p>dnsjava's own UDP client opens, registers and closes a datagram channel for every query; at batch rates that
 * bookkeeping, not the network, was a third of the DNS cost. Here a reader thread per socket waits for answers and
 * one timer thread looks over the queries in flight every {@value #SWEEP_MILLIS} ms, resending or giving up on those
 * whose time is up (so a timeout ends up to that much late). A timer task per query instead cost a scheduling and a
 * cancellation under the timer queue's lock for every query, and made the reader wait for the sender's lock when an
 * answer came back before the query's timer was set.
 *
 * <p>IDs are unpredictable ({@link MessageIds}) and an answer must repeat the question, so a spoofed answer still has
 * to guess a 16-bit ID for the one port in use (or the few a caller asks for): fewer ports than dnsjava's port per
 * query, which is why this client is meant for resolvers the user chose (their own, or a benchmark's).
 *
 * <p>Sockets and threads start with the first query and stop on {@link #close()} or when the resolver is no longer
 * reachable.
 */
public final class MultiplexedUdpResolver implements Resolver, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(MultiplexedUdpResolver.class);
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * Sockets per resolver by default. One socket has 65,536 IDs, several times what a batch has in flight (a site asks
     * one question at a time, and {@code --concurrency} is at most 10,000 sites), and one reader thread: with four, a
     * scan of 100,000 sites took about 6% more CPU (40,000 sites: about 12%), the readers waking and contending for
     * the cache and the snapshot queue on two cores.
     */
    public static final int DEFAULT_SOCKETS = 1;

    /** The receive buffer asked for each socket (the kernel caps it at {@code net.core.rmem_max}), for bursts. */
    private static final int RECEIVE_BUFFER = 4 << 20;

    /** IDs tried for one query before giving up: only a socket with nearly all 65,536 IDs in flight gets there. */
    private static final int ID_ATTEMPTS = 1000;

    /** How often the timer thread looks for queries whose time is up. */
    static final long SWEEP_MILLIS = 10;

    /** The EDNS payload size dnsjava's {@link SimpleResolver} advertises, kept so both ask the same on the wire. */
    private static final int EDNS_PAYLOAD = SimpleResolver.DEFAULT_EDNS_PAYLOADSIZE;

    private final InetSocketAddress server;
    private final int socketCount;
    private final SimpleResolver tcp;
    private final AtomicInteger next = new AtomicInteger();
    private volatile Duration timeout = Duration.ofSeconds(10);
    private volatile int retries;
    private volatile boolean ignoreTruncation;
    private volatile OPTRecord opt = new OPTRecord(EDNS_PAYLOAD, 0, 0, 0);
    private volatile Channels channels;
    private Cleaner.Cleanable cleanable;

    /** A resolver for {@code server} with {@link #DEFAULT_SOCKETS} sockets. */
    public MultiplexedUdpResolver(InetSocketAddress server) {
        this(server, DEFAULT_SOCKETS);
    }

    /** A resolver for {@code server} with {@code sockets} UDP sockets. */
    public MultiplexedUdpResolver(InetSocketAddress server, int sockets) {
        if (sockets < 1) {
            throw new IllegalArgumentException("sockets must be positive: " + sockets);
        }
        this.server = server;
        this.socketCount = sockets;
        this.tcp = new SimpleResolver(server);
        this.tcp.setTCP(true);
    }

    /** The further sends of a query after its first attempt timed out. */
    public void setRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        this.retries = retries;
    }

    @Override
    public void setPort(int port) {
        throw new UnsupportedOperationException("the server address is fixed: " + server);
    }

    @Override
    public void setTCP(boolean flag) {
        throw new UnsupportedOperationException("UDP only; truncated answers are retried over TCP");
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
        this.ignoreTruncation = flag;
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        this.opt = version < 0
                ? null
                : new OPTRecord(payloadSize == 0 ? EDNS_PAYLOAD : payloadSize, 0, version, flags, options);
        tcp.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(TSIG key) {
        throw new UnsupportedOperationException("TSIG is not supported");
    }

    @Override
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
        tcp.setTimeout(timeout);
    }

    @Override
    public Duration getTimeout() {
        return timeout;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return sendAsync(query, Runnable::run);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        Message message = query.clone();
        OPTRecord edns = opt;
        if (edns != null && message.getOPT() == null) {
            message.addRecord(edns, Section.ADDITIONAL);
        }
        Channels open;
        try {
            open = channels();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        Socket socket = open.sockets[Math.floorMod(next.getAndIncrement(), open.sockets.length)];
        Pending pending;
        int id;
        int attempts = 0;
        do {
            if (++attempts > ID_ATTEMPTS) {
                return CompletableFuture.failedFuture(
                        new IOException("no free message ID: " + socket.pending.size() + " queries in flight"));
            }
            id = MessageIds.next();
            pending = new Pending(message, id, executor, retries, timeout, socket, this::truncated);
        } while (socket.pending.putIfAbsent(id, pending) != null);
        message.getHeader().setID(id);
        pending.wire = message.toWire();
        pending.send();
        return pending.answer;
    }

    /** Asks a query whose UDP answer was truncated again over TCP. */
    private CompletionStage<Message> truncated(Message query, Executor executor) {
        return ignoreTruncation ? null : tcp.sendAsync(query, executor);
    }

    private Channels channels() throws IOException {
        Channels open = channels;
        if (open == null) {
            synchronized (this) {
                open = channels;
                if (open == null) {
                    open = Channels.open(server, socketCount);
                    cleanable = CLEANER.register(this, open);
                    channels = open;
                }
            }
        }
        return open;
    }

    /** Closes the sockets and stops the threads; queries still waiting fail. */
    @Override
    public void close() {
        synchronized (this) {
            if (cleanable != null) {
                cleanable.clean();
            }
        }
    }

    @Override
    public String toString() {
        return "MultiplexedUdpResolver[" + server + "]";
    }

    /** The sockets and the timer: everything the cleaner closes, and nothing that refers back to the resolver. */
    private static final class Channels implements Runnable {
        final Socket[] sockets;
        final ScheduledThreadPoolExecutor timer;

        private Channels(Socket[] sockets, ScheduledThreadPoolExecutor timer) {
            this.sockets = sockets;
            this.timer = timer;
        }

        static Channels open(InetSocketAddress server, int count) throws IOException {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> Thread.ofPlatform()
                    .name("chokepoint-dns-timer")
                    .daemon(true)
                    .unstarted(runnable));
            Socket[] sockets = new Socket[count];
            try {
                for (int i = 0; i < count; i++) {
                    sockets[i] = Socket.open(server);
                }
            } catch (IOException e) {
                new Channels(Arrays.stream(sockets).filter(s -> s != null).toArray(Socket[]::new), timer).run();
                throw e;
            }
            Channels channels = new Channels(sockets, timer);
            timer.scheduleWithFixedDelay(channels::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            return channels;
        }

        /** Resends or fails the queries whose time is up. */
        private void sweep() {
            long now = System.nanoTime();
            for (Socket socket : sockets) {
                for (Pending waiting : socket.pending.values()) {
                    try {
                        waiting.timeOutBy(now);
                    } catch (RuntimeException e) {
                        // A caller's executor that refuses the failure: the sweep must go on (an exception would end
                        // the periodic task, and with it every later timeout), and the query is out of the map.
                        socket.pending.remove(waiting.id, waiting);
                        LOG.warn("giving up on query {} failed: {}", waiting.id, e.toString());
                    }
                }
            }
        }

        @Override
        public void run() {
            timer.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** One connected UDP socket, its reader thread and the queries waiting for an answer on it, by ID. */
    private static final class Socket {
        final DatagramChannel channel;
        final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();

        private Socket(DatagramChannel channel) {
            this.channel = channel;
        }

        static Socket open(InetSocketAddress server) throws IOException {
            // A socket of the server's own family: an IPv6 socket sending to an IPv4 address (mapped) looks up the
            // route for every datagram, where a connected IPv4 socket keeps the one it found (1% of a scan's CPU).
            DatagramChannel channel = DatagramChannel.open(
                    server.getAddress() instanceof Inet4Address
                            ? StandardProtocolFamily.INET
                            : StandardProtocolFamily.INET6);
            try {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
                channel.connect(server);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            Socket socket = new Socket(channel);
            Thread.ofPlatform().name("chokepoint-dns-udp").daemon(true).start(socket::read);
            return socket;
        }

        /** Reads answers until the channel closes; unmatched and malformed datagrams are dropped. */
        private void read() {
            ByteBuffer buffer = ByteBuffer.allocate(0x10000);
            while (channel.isOpen()) {
                buffer.clear();
                try {
                    channel.read(buffer);
                } catch (ClosedChannelException e) {
                    break;
                } catch (IOException e) {
                    // An ICMP port unreachable surfaces here on a connected socket: the waiting queries time out.
                    LOG.debug("UDP read from {} failed: {}", channel, e.toString());
                    continue;
                }
                buffer.flip();
                if (buffer.remaining() < 12) {
                    continue;
                }
                byte[] wire = new byte[buffer.remaining()];
                buffer.get(wire);
                int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
                Pending waiting = pending.get(id);
                if (waiting == null) {
                    continue;
                }
                Message response;
                try {
                    response = new ReceivedMessage(wire, waiting.wire);
                } catch (IOException e) {
                    if (pending.remove(id, waiting)) {
                        waiting.fail(e);
                    }
                    continue;
                }
                if (!waiting.matches(response)) {
                    LOG.debug("dropped an answer with ID {} for another question", id);
                    continue;
                }
                if (pending.remove(id, waiting)) {
                    waiting.answered(response);
                }
            }
            for (Pending waiting : pending.values()) {
                waiting.fail(new ClosedChannelException());
            }
            pending.clear();
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed: {}", channel, e.toString());
            }
        }
    }

    /** Asks a truncated query again over TCP; null when truncation is to be ignored. */
    @FunctionalInterface
    private interface TcpRetry {
        CompletionStage<Message> ask(Message query, Executor executor);
    }

    /** A query waiting for its answer. */
    private static final class Pending {
        final Message query;
        final int id;
        final Executor executor;
        final long timeoutNanos;
        final Socket socket;
        final TcpRetry tcp;
        final CompletableFuture<Message> answer = new CompletableFuture<>();
        /** The query as sent; set before the first send. */
        byte[] wire;

        /** Written by the first send (the caller's thread), then only by the timer thread. */
        private int sendsLeft;
        /** When the current attempt's time is up ({@link System#nanoTime()}); valid once {@link #armed}. */
        private long deadline;
        /** Whether the query was sent: set after {@link #deadline} and {@link #sendsLeft}, which it publishes. */
        private volatile boolean armed;

        Pending(Message query, int id, Executor executor, int retries, Duration timeout, Socket socket, TcpRetry tcp) {
            this.query = query;
            this.id = id;
            this.executor = executor;
            this.sendsLeft = retries + 1;
            this.timeoutNanos = timeout.toNanos();
            this.socket = socket;
            this.tcp = tcp;
        }

        /**
         * Sends (or resends) the query, and sets when its time is up. Called once by the asking thread, then only by
         * the timer thread, which sees what the first call wrote once it sees {@link #armed}. (With a timeout shorter
         * than a sweep, the timer may resend while the first write is under way: a duplicate query, nothing worse.)
         */
        void send() {
            sendsLeft--;
            deadline = System.nanoTime() + timeoutNanos;
            armed = true;
            try {
                socket.channel.write(ByteBuffer.wrap(wire));
            } catch (IOException e) {
                if (socket.pending.remove(id, this)) {
                    fail(e);
                }
            }
        }

        /** On the timer thread: if its time is up at {@code now}, resends the query, or fails it if no send is left. */
        void timeOutBy(long now) {
            if (!armed || now - deadline < 0) {
                return;
            }
            if (sendsLeft > 0) {
                send();
                return;
            }
            if (socket.pending.remove(id, this)) {
                Record question = query.getQuestion();
                fail(new SocketTimeoutException("Timed out while trying to resolve " + question.getName() + "/"
                        + org.xbill.DNS.Type.string(question.getType()) + ", id=" + id));
            }
        }

        /** Whether {@code response} answers this query: same question, or none in an error answer. */
        boolean matches(Message response) {
            Record asked = query.getQuestion();
            Record echoed = response.getQuestion();
            if (echoed == null) {
                return response.getRcode() != 0;
            }
            return asked.getName().equals(echoed.getName())
                    && asked.getType() == echoed.getType()
                    && asked.getDClass() == echoed.getDClass();
        }

        void answered(Message response) {
            if (response.getHeader().getFlag(Flags.TC)) {
                CompletionStage<Message> overTcp = tcp.ask(query, executor);
                if (overTcp != null) {
                    overTcp.whenComplete((message, error) -> {
                        if (error != null) {
                            answer.completeExceptionally(error);
                        } else {
                            answer.complete(message);
                        }
                    });
                    return;
                }
            }
            executor.execute(() -> answer.complete(response));
        }

        void fail(Throwable error) {
            executor.execute(() -> answer.completeExceptionally(error));
        }
    }
}
