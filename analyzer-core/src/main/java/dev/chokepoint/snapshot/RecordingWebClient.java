package dev.chokepoint.snapshot;

import dev.chokepoint.web.HttpExchange;
import dev.chokepoint.web.WebClient;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** A {@link WebClient} that passes every request to another and records each exchange in a WARC file. */
public final class RecordingWebClient implements WebClient {
    private final WebClient delegate;
    private final WarcRecorder recorder;

    /** Records what {@code delegate} fetches into {@code recorder}. */
    public RecordingWebClient(WebClient delegate, WarcRecorder recorder) {
        this.delegate = delegate;
        this.recorder = recorder;
    }

    @Override
    public HttpExchange get(URI url, List<InetAddress> addresses, Duration timeout, long maxBytes) {
        HttpExchange exchange = delegate.get(url, addresses, timeout, maxBytes);
        recorder.recordHttp(exchange);
        return exchange;
    }

    @Override
    public boolean holds(URI url) {
        return delegate.holds(url);
    }
}
