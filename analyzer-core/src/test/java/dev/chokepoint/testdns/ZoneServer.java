package dev.chokepoint.testdns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * An in-process DNS server on 127.0.0.1 that acts as a recursive resolver already knowing every
 * zone it serves, for tests that must never send DNS beyond the loopback range.
 *
 * <p>For each query it picks the served zone with the longest origin containing the name, and
 * answers like a resolver would: data with AA and RA set, a CNAME alone (unless {@link
 * #chaseCnames(boolean) chasing} is on), NODATA or NXDOMAIN with the zone's SOA in the authority
 * section, a referral for delegations to zones it does not serve, and REFUSED for names outside
 * every served zone. It listens on UDP and TCP on the same ephemeral port; UDP answers larger than
 * the client's EDNS payload size (512 bytes without EDNS) are replaced by an empty TC response.
 */
public final class ZoneServer implements AutoCloseable {

    private static final long SHUTDOWN_WAIT_MILLIS = 2_000;

    private final LoopbackSockets sockets;
    private final Responder responder;
    private final Dispatcher dispatcher;
    private final Faults faults;
    private final TcpListener tcpListener;
    private final ExecutorService threads;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ZoneServer(LoopbackSockets sockets, ServedZones zones) {
        this.sockets = sockets;
        this.faults = new Faults();
        this.responder = new Responder(zones, faults);
        this.dispatcher = new Dispatcher(responder);
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("zone-server-" + sockets.port() + "-", 0)
                .factory());
        this.tcpListener = new TcpListener(sockets.tcp(), dispatcher, threads);
        threads.execute(new UdpListener(sockets.udp(), dispatcher));
        threads.execute(tcpListener);
    }

    /**
     * Starts a server for every {@code ORIGIN.zone} file in the directory, where the file name
     * gives the origin ({@code example.com.zone} serves {@code example.com.}).
     *
     * @throws IOException if the directory has no zone files, a zone does not parse, or no port
     *     could be bound
     */
    public static ZoneServer start(Path zoneDirectory) throws IOException {
        return start(ServedZones.fromDirectory(zoneDirectory));
    }

    /**
     * Starts a server for zones given inline, keyed by origin (trailing dot optional) with
     * zone-file text as values.
     *
     * @throws IOException if a zone does not parse or no port could be bound
     */
    public static ZoneServer start(Map<String, String> zoneTexts) throws IOException {
        return start(ServedZones.fromTexts(zoneTexts));
    }

    private static ZoneServer start(ServedZones zones) throws IOException {
        return new ZoneServer(LoopbackSockets.bind(), zones);
    }

    /** The port the server listens on, for both UDP and TCP, on 127.0.0.1. */
    public int port() {
        return sockets.port();
    }

    /** The address to point a resolver at: 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LoopbackSockets.LOOPBACK, port());
    }

    /**
     * Chooses whether CNAMEs are followed within the served zones (true) or returned alone
     * (false, the default), so tests can cover both kinds of resolver.
     *
     * @return this server, for chaining after {@code start}
     */
    public ZoneServer chaseCnames(boolean chase) {
        responder.chaseCnames(chase);
        return this;
    }

    /** Never answers queries for this exact owner name, of any type, so clients time out. */
    public void dropQueriesFor(String name) {
        faults.set(parseName(name), Faults.Fault.DROP);
    }

    /** Drops the next query for this exact owner name, of any type, then answers again: one lost datagram. */
    public void dropNextQueryFor(String name) {
        faults.set(parseName(name), Faults.Fault.DROP_ONCE);
    }

    /** Answers queries for this exact owner name with SERVFAIL. */
    public void servfailFor(String name) {
        faults.set(parseName(name), Faults.Fault.SERVFAIL);
    }

    /** Answers queries for this exact owner name with REFUSED. */
    public void refuseFor(String name) {
        faults.set(parseName(name), Faults.Fault.REFUSE);
    }

    /** Removes every fault injected so far. */
    public void clearFaults() {
        faults.clear();
    }

    /** How many queries have arrived over both transports, including dropped and faulted ones. */
    public int queryCount() {
        return dispatcher.queryCount();
    }

    /**
     * The queries received so far in arrival order, each as {@code "name TYPE proto"}, e.g. {@code
     * "www.example.com. A udp"}; the name is lower-cased and absolute, proto is udp or tcp.
     */
    public List<String> queryLog() {
        return dispatcher.queryLog();
    }

    /** Forgets the queries received so far, for tests that count only after some setup traffic. */
    public void clearQueryLog() {
        dispatcher.clearQueryLog();
    }

    /** Stops listening and frees the port; queries still in flight get no answer. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            sockets.close();
        } catch (IOException e) {
            // Closing loopback sockets does not fail in practice; nothing more can be done.
        }
        tcpListener.closeConnections();
        threads.shutdownNow();
        try {
            threads.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Name parseName(String name) {
        try {
            return ServedZones.absoluteName(name);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }
}
