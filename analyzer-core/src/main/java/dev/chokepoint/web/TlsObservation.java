package dev.chokepoint.web;

import java.util.List;
import java.util.Optional;

/**
 * The TLS side of one HTTPS exchange: the chain the server sent and what validating it said. Validation failures are
 * recorded, not thrown: an untrusted or mismatched certificate is a finding, and the page is still audited.
 *
 * @param protocol the negotiated protocol, for example {@code TLSv1.3}
 * @param chain the certificates as sent, leaf first
 * @param trustError why the chain is not trusted; empty when it is
 * @param hostnameMatches whether the leaf names the host that was asked for
 */
public record TlsObservation(
        String protocol, List<CertificateInfo> chain, Optional<String> trustError, boolean hostnameMatches) {
    /** Copies the list. */
    public TlsObservation {
        chain = List.copyOf(chain);
    }

    /** Whether the chain validated against the trust anchors. */
    public boolean trusted() {
        return trustError.isEmpty();
    }

    /** The leaf certificate, if the server sent any. */
    public Optional<CertificateInfo> leaf() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.getFirst());
    }
}
