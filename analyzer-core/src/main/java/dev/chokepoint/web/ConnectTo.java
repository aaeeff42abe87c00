package dev.chokepoint.web;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Locale;

/**
 * A connection override, as curl's {@code --connect-to HOST:PORT:ADDR:PORT}: requests for {@code host:port} connect to
 * {@code address:targetPort} instead, while the URL, Host header and TLS server name stay {@code host}. Without an
 * address ({@code HOST:PORT::PORT}) the addresses DNS resolved are kept and only the port changes.
 *
 * @param host the host in URLs, lower case
 * @param port the port in URLs
 * @param address where to connect; empty to keep the resolved addresses
 * @param targetPort the port to connect to
 */
public record ConnectTo(String host, int port, java.util.Optional<InetAddress> address, int targetPort) {
    /** An override to a fixed address. */
    public ConnectTo(String host, int port, InetAddress address, int targetPort) {
        this(host, port, java.util.Optional.of(address), targetPort);
    }

    /**
     * Parses {@code HOST:PORT:ADDR:PORT}; ADDR must be an IP literal ({@code [::1]} for IPv6) or empty.
     *
     * @throws IllegalArgumentException naming the input and the reason
     */
    public static ConnectTo parse(String text) {
        String[] first = text.split(":", 3);
        if (first.length < 3) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT:ADDR:PORT");
        }
        String host = first[0].toLowerCase(Locale.ROOT);
        int port = port(text, first[1]);
        if (first[2].startsWith(":")) {
            return new ConnectTo(host, port, java.util.Optional.empty(), port(text, first[2].substring(1)));
        }
        HostAndPort target;
        try {
            target = HostAndPort.fromString(first[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
        if (host.isEmpty() || !target.hasPort() || !InetAddresses.isInetAddress(target.getHost())) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT:ADDR:PORT with an IP address as ADDR");
        }
        return new ConnectTo(host, port, InetAddresses.forString(target.getHost()), port(text, "" + target.getPort()));
    }

    private static int port(String text, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': '" + value + "' is not a port");
        }
    }
}
