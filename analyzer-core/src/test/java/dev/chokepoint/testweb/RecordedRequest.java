package dev.chokepoint.testweb;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request as {@link HttpsTestServer} received it, logged before it was answered.
 *
 * @param method the request method, as sent ({@code GET}, {@code HEAD}, ...)
 * @param target the request target: path and query as sent, with no scheme or authority
 * @param protocol the request line's protocol, such as {@code HTTP/1.1}
 * @param headers every request header, names case-insensitive, values in the order received
 * @param serverName the host name the client sent in the TLS SNI extension of the connection's
 *     handshake; empty for plain HTTP and for a client that sent none: no client sends one for an
 *     IP literal, and the JDK's SSLSocket (so OkHttp) sends none for a dot-less name such as
 *     {@code localhost}, though {@code java.net.http.HttpClient} does
 * @param tlsProtocol the negotiated TLS version ({@code TLSv1.3}); empty for plain HTTP
 * @param remoteAddress the client's address and port; the port tells connections apart, so two
 *     requests with the same port came over one kept-alive connection
 * @param receivedAt when the handler saw the request
 */
public record RecordedRequest(
        String method,
        URI target,
        String protocol,
        Map<String, List<String>> headers,
        Optional<String> serverName,
        Optional<String> tlsProtocol,
        InetSocketAddress remoteAddress,
        Instant receivedAt) {

    /** Copies the headers into an unmodifiable, case-insensitive map. */
    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(tlsProtocol, "tlsProtocol");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) ->
                copy.computeIfAbsent(name, key -> new ArrayList<>()).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The request path, without the query. */
    public String path() {
        return target.getRawPath();
    }

    /** The first value of a header (name case-insensitive), if the request had it. */
    public Optional<String> header(String name) {
        List<String> values = headers.getOrDefault(name, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of a header (name case-insensitive), in the order received. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The {@code Host} header, if sent. */
    public Optional<String> host() {
        return header("Host");
    }

    /** The {@code User-Agent} header, if sent. */
    public Optional<String> userAgent() {
        return header("User-Agent");
    }

    /** The {@code Accept-Encoding} header, if sent. */
    public Optional<String> acceptEncoding() {
        return header("Accept-Encoding");
    }
}
