package dev.chokepoint.snapshot;

import dev.chokepoint.web.CertificateInfo;
import dev.chokepoint.web.HttpExchange;
import dev.chokepoint.web.TlsObservation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MessageHeaders;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;

/** Turns recorded WARC records back into the {@link HttpExchange} that produced them. */
final class HttpReplay {
    private HttpReplay() {}

    static HttpExchange exchange(WarcResponse response) throws IOException {
        HttpResponse http = response.http();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        http.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        byte[] body = http.body().stream().readAllBytes();
        return new HttpExchange(
                URI.create(response.target()),
                response.date(),
                response.ipAddress().map(a -> a.getHostAddress()),
                http.status(),
                headers,
                body,
                response.truncated() != WarcTruncationReason.NOT_TRUNCATED,
                Optional.empty(),
                Optional.empty());
    }

    static HttpExchange withTls(HttpExchange exchange, MessageHeaders fields) {
        List<String> encoded = fields.all(WarcRecorder.CERTIFICATE);
        if (encoded.isEmpty() && fields.first(WarcRecorder.TLS_PROTOCOL).isEmpty()) {
            return exchange;
        }
        List<CertificateInfo> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (String der : encoded) {
                chain.add(CertificateInfo.of((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(der)))));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable certificate in snapshot: " + e.getMessage(), e);
        }
        TlsObservation tls = new TlsObservation(
                fields.first(WarcRecorder.TLS_PROTOCOL).orElse(""),
                chain,
                fields.first(WarcRecorder.TLS_TRUST_ERROR),
                Boolean.parseBoolean(
                        fields.first(WarcRecorder.TLS_HOSTNAME_MATCH).orElse("false")));
        return new HttpExchange(
                exchange.url(),
                exchange.fetchedAt(),
                exchange.address(),
                exchange.status(),
                exchange.headers(),
                exchange.body(),
                exchange.bodyTruncated(),
                Optional.of(tls),
                exchange.error());
    }
}
