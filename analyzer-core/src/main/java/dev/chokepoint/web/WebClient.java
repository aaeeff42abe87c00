package dev.chokepoint.web;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Sends one GET without following redirects. Implementations never throw for what the network does. */
public interface WebClient {
    /**
     * Fetches {@code url}, connecting to one of {@code addresses} (which DNS collection resolved), within
     * {@code timeout} for the whole exchange, reading at most {@code maxBytes} of the raw body.
     */
    HttpExchange get(URI url, List<InetAddress> addresses, Duration timeout, long maxBytes);

    /**
     * Whether this client already holds the exchange with {@code url} and sends nothing to get it: a snapshot that
     * recorded it. The rules about which addresses may be contacted are for the network; a replay gives what the
     * recorded audit fetched, whatever those rules said when it ran.
     */
    default boolean holds(URI url) {
        return false;
    }
}
