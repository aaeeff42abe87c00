package dev.chokepoint.graph;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the web collection established about a site, for findings that are not about dependencies.
 *
 * @param pageUrl the URL of the page that was audited, if any answered
 * @param status its HTTP status, or 0
 * @param httpsUnavailable whether HTTPS could not connect at all
 * @param certificate the site's certificate, when HTTPS answered
 * @param observedAt when the page was fetched: certificate validity is judged at this time
 * @param limits the collection limits that were hit
 * @param refused hosts not fetched because they resolve to private addresses
 * @param resources the page's resources with their attribution
 */
public record WebFacts(
        Optional<String> pageUrl,
        int status,
        boolean httpsUnavailable,
        Optional<Certificate> certificate,
        Instant observedAt,
        List<String> limits,
        List<String> refused,
        List<Resource> resources) {

    /** Copies the lists. */
    public WebFacts {
        limits = List.copyOf(limits);
        refused = List.copyOf(refused);
        resources = List.copyOf(resources);
    }

    /**
     * The certificate a site presented.
     *
     * @param host the host it was presented for
     * @param subject the subject DN
     * @param issuer the issuer's organisation
     * @param names its DNS names
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @param trustError why the chain is not trusted; empty when it is
     * @param hostnameMatches whether it names the host
     */
    public record Certificate(
            String host,
            String subject,
            String issuer,
            List<String> names,
            Instant notBefore,
            Instant notAfter,
            Optional<String> trustError,
            boolean hostnameMatches) {
        /** Copies the list. */
        public Certificate {
            names = List.copyOf(names);
        }
    }

    /**
     * One page resource with its attribution.
     *
     * @param url the resource URL
     * @param host its host
     * @param kind the kind of resource, for example {@code script}
     * @param blocking whether the page cannot render without it
     * @param thirdParty whether it is not the site's own
     * @param providerId the provider id it is attributed to
     * @param providerName the provider's display name
     * @param integrity whether it carries Subresource Integrity
     * @param inferred whether it was inferred from an inline script rather than declared
     */
    public record Resource(
            String url,
            String host,
            String kind,
            boolean blocking,
            boolean thirdParty,
            String providerId,
            String providerName,
            boolean integrity,
            boolean inferred) {}
}
