package dev.chokepoint.web;

import com.google.common.util.concurrent.Striped;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WebClient} that keeps a batch polite: at most a few requests at a time to any one host, whatever the
 * number of sites in flight. Hosts share a bounded set of semaphores, so memory does not grow with the list.
 */
public final class PoliteWebClient implements WebClient {
    private final WebClient delegate;
    private final Striped<Semaphore> perHost;

    /** Limits {@code delegate} to {@code perHostLimit} concurrent requests per host. */
    public PoliteWebClient(WebClient delegate, int perHostLimit) {
        this.delegate = delegate;
        this.perHost = Striped.semaphore(4096, perHostLimit);
    }

    @Override
    public HttpExchange get(URI url, List<InetAddress> addresses, Duration timeout, long maxBytes) {
        Semaphore slot = perHost.get(url.getHost().toLowerCase(Locale.ROOT));
        try {
            if (!slot.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return HttpExchange.failed(url, Instant.now(), Optional.empty(), "timed out waiting for a slot");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpExchange.failed(url, Instant.now(), Optional.empty(), "interrupted");
        }
        try {
            return delegate.get(url, addresses, timeout, maxBytes);
        } finally {
            slot.release();
        }
    }

    @Override
    public boolean holds(URI url) {
        return delegate.holds(url);
    }
}
