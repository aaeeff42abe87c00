package dev.chokepoint.testdns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.Arrays;

/** Answers UDP queries one at a time until its socket is closed. */
final class UdpListener implements Runnable {

    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket socket;
    private final Dispatcher dispatcher;

    UdpListener(DatagramSocket socket, Dispatcher dispatcher) {
        this.socket = socket;
        this.dispatcher = dispatcher;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                // Closing the socket is how the server stops; any other receive error is transient.
                continue;
            }
            byte[] query =
                    Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
            dispatcher.handle(query, Transport.UDP).ifPresent(reply -> send(reply, packet));
        }
    }

    private void send(byte[] reply, DatagramPacket query) {
        try {
            socket.send(new DatagramPacket(reply, reply.length, query.getSocketAddress()));
        } catch (IOException e) {
            // The client may already be gone; a test server has no one to tell.
        }
    }
}
