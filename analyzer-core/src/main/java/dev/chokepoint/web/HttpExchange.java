package dev.chokepoint.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request and what came back, as received: the body is the raw bytes on the wire (still compressed), cut at
 * the size limit. Failures to get a response (refused, timeout, TLS handshake) are recorded in {@code error}.
 *
 * @param url the requested URL
 * @param fetchedAt when the request was sent
 * @param address the address connected to, if a connection was made
 * @param status the HTTP status, or 0 without a response
 * @param headers the response headers in order, names as sent
 * @param body the raw response body, at most the limit
 * @param bodyTruncated whether the body was cut short: at the size limit, or by the timeout while it was read
 * @param tls the TLS observation for HTTPS
 * @param error why there is no response; empty when there is one
 */
public record HttpExchange(
        URI url,
        Instant fetchedAt,
        Optional<String> address,
        int status,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        boolean bodyTruncated,
        Optional<TlsObservation> tls,
        Optional<String> error) {

    /** Copies the collections. */
    public HttpExchange {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    /** An exchange that got no response. */
    public static HttpExchange failed(URI url, Instant fetchedAt, Optional<String> address, String error) {
        return new HttpExchange(
                url, fetchedAt, address, 0, List.of(), new byte[0], false, Optional.empty(), Optional.of(error));
    }

    /** The first value of header {@code name}, case-insensitive. */
    public Optional<String> header(String name) {
        return headers.stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Whether a response came back. */
    public boolean answered() {
        return error.isEmpty();
    }

    /** Whether the status is a redirect with a Location. */
    public boolean redirect() {
        return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                && header("Location").isPresent();
    }

    /** The media type without parameters, lower case; empty without a Content-Type. */
    public String mediaType() {
        return header("Content-Type")
                .map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }
}
