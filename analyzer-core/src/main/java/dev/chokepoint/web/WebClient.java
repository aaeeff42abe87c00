package dev.chokepoint.web;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Sends one GET without following redirects. Implementations never throw for what the network does. */
public interface WebClient {
    /**
     * Fetches {@code url}, connecting to one of {@code addresses} (which DNS collection resolved), within
     * {@code timeout} for the whole exchange.
     */
    HttpExchange get(URI url, List<InetAddress> addresses, Duration timeout);
}
