package dev.chokepoint.testdns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Accepts TCP connections and answers length-prefixed queries on each, several per connection, as
 * RFC 7766 requires of servers.
 */
final class TcpListener implements Runnable {

    /** Idle connections are closed after this long, so a forgetful client cannot pin a thread. */
    private static final int IDLE_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket serverSocket;
    private final Dispatcher dispatcher;
    private final Executor connectionExecutor;
    private final Set<Socket> openConnections = ConcurrentHashMap.newKeySet();

    TcpListener(ServerSocket serverSocket, Dispatcher dispatcher, Executor connectionExecutor) {
        this.serverSocket = serverSocket;
        this.dispatcher = dispatcher;
        this.connectionExecutor = connectionExecutor;
    }

    @Override
    public void run() {
        while (!serverSocket.isClosed()) {
            Socket connection;
            try {
                connection = serverSocket.accept();
            } catch (IOException e) {
                continue;
            }
            openConnections.add(connection);
            try {
                connectionExecutor.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                closeQuietly(connection);
            }
        }
    }

    /** Closes every open connection, which also ends the threads serving them. */
    void closeConnections() {
        openConnections.forEach(TcpListener::closeQuietly);
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                Optional<byte[]> reply = dispatcher.handle(query, Transport.TCP);
                if (reply.isPresent()) {
                    out.write(framed(reply.get()));
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // The client closed the connection between messages: the normal end.
        } catch (IOException e) {
            // Idle timeout, reset by the client, or closed by close(): nothing to report to.
        } finally {
            openConnections.remove(connection);
        }
    }

    private static byte[] framed(byte[] message) {
        byte[] framed = new byte[message.length + 2];
        framed[0] = (byte) (message.length >>> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        return framed;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already broken; closing is best effort.
        }
    }
}
