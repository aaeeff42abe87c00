package dev.chokepoint.testdns;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** A UDP socket and a TCP listening socket bound to the same ephemeral port on 127.0.0.1. */
record LoopbackSockets(DatagramSocket udp, ServerSocket tcp) implements AutoCloseable {

    /** 127.0.0.1 itself, not "localhost", which may resolve to ::1 or to nothing in a sandbox. */
    static final InetAddress LOOPBACK = loopbackV4();

    private static final int BIND_ATTEMPTS = 20;

    /** Binds both sockets, retrying when the UDP port's TCP twin is already taken. */
    static LoopbackSockets bind() throws IOException {
        BindException lastFailure = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            ServerSocket tcp = new ServerSocket();
            try {
                tcp.bind(new InetSocketAddress(LOOPBACK, udp.getLocalPort()));
                return new LoopbackSockets(udp, tcp);
            } catch (BindException e) {
                lastFailure = e;
                udp.close();
                tcp.close();
            }
        }
        throw new IOException("no loopback port free for both UDP and TCP", lastFailure);
    }

    /** The port both sockets are bound to. */
    int port() {
        return udp.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
