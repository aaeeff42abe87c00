package dev.chokepoint.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How to reach DNS: which recursive resolvers, how long to wait for one attempt, and how often to retry.
 *
 * @param resolvers resolver addresses, tried in order
 * @param timeout the wait for one attempt at one resolver
 * @param retries further attempts per resolver after the first
 */
public record DnsSettings(List<InetSocketAddress> resolvers, Duration timeout, int retries) {
    /** Default wait for one attempt. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /** Default number of retries per resolver. */
    public static final int DEFAULT_RETRIES = 1;

    /** Validates the settings. */
    public DnsSettings {
        resolvers = List.copyOf(resolvers);
        if (resolvers.isEmpty()) {
            throw new IllegalArgumentException("no resolver configured");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
    }
}
