package dev.chokepoint.assess;

import dev.chokepoint.graph.WebFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Findings about a site's web side that are facts rather than dependencies: TLS, plain HTTP, page hygiene, limits. */
final class WebFindings {
    /** Certificates that end sooner than this are flagged. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    /** This many distinct third-party organisations on one page is flagged. */
    static final int MANY_PROVIDERS = 10;

    private WebFindings() {}

    static void add(String site, WebFacts web, List<Finding> findings) {
        transport(site, web, findings);
        web.certificate().ifPresent(c -> certificate(web, c, findings));
        resources(site, web, findings);
        for (String limit : web.limits()) {
            findings.add(
                    new Finding("web-limit", Severity.INFO, "web", site, "Collection limit reached: " + limit + "."));
        }
        for (String refused : web.refused()) {
            findings.add(
                    new Finding("web-refused-private", Severity.INFO, "web", site, "Not fetched: " + refused + "."));
        }
    }

    private static void transport(String site, WebFacts web, List<Finding> findings) {
        if (web.pageUrl().isEmpty() && web.refused().isEmpty()) {
            findings.add(new Finding(
                    "web-unreachable",
                    Severity.MEDIUM,
                    "web",
                    site,
                    "No web server answered for " + site + " over HTTPS or HTTP."));
            return;
        }
        if (web.httpsUnavailable() && web.pageUrl().isPresent()) {
            findings.add(new Finding(
                    "https-unavailable",
                    Severity.HIGH,
                    "web",
                    site,
                    site + " cannot be reached over HTTPS; it answered only over plain HTTP at "
                            + web.pageUrl().get() + "."));
        }
    }

    private static void certificate(WebFacts web, WebFacts.Certificate certificate, List<Finding> findings) {
        String host = certificate.host();
        if (web.observedAt().isAfter(certificate.notAfter())) {
            findings.add(new Finding(
                    "certificate-expired",
                    Severity.CRITICAL,
                    "ca",
                    host,
                    "The certificate of " + host + " expired on " + certificate.notAfter() + ": browsers refuse it."));
        } else if (web.observedAt().isBefore(certificate.notBefore())) {
            findings.add(new Finding(
                    "certificate-not-yet-valid",
                    Severity.CRITICAL,
                    "ca",
                    host,
                    "The certificate of " + host + " is valid only from " + certificate.notBefore() + "."));
        } else if (Duration.between(web.observedAt(), certificate.notAfter()).compareTo(EXPIRY_WARNING) < 0) {
            long days =
                    Duration.between(web.observedAt(), certificate.notAfter()).toDays();
            findings.add(new Finding(
                    "certificate-expiring",
                    Severity.HIGH,
                    "ca",
                    host,
                    "The certificate of " + host + " expires in " + days + (days == 1 ? " day" : " days") + " ("
                            + certificate.notAfter() + "): renew it, or the site goes down then."));
        }
        if (!certificate.hostnameMatches()) {
            findings.add(new Finding(
                    "certificate-name-mismatch",
                    Severity.CRITICAL,
                    "ca",
                    host,
                    "The certificate presented for " + host + " does not name it (it names "
                            + String.join(
                                    ", ", certificate.names().stream().limit(5).toList())
                            + "): browsers refuse the connection."));
        }
        certificate
                .trustError()
                .ifPresent(error -> findings.add(new Finding(
                        "certificate-untrusted",
                        Severity.HIGH,
                        "ca",
                        host,
                        "The certificate chain of " + host + " does not validate (" + error
                                + "): browsers refuse it.")));
    }

    private static void resources(String site, WebFacts web, List<Finding> findings) {
        Map<String, List<WebFacts.Resource>> blockingByProvider = new LinkedHashMap<>();
        Set<String> thirdParties = new LinkedHashSet<>();
        List<WebFacts.Resource> noIntegrity = new ArrayList<>();
        boolean https = web.pageUrl().map(u -> u.startsWith("https:")).orElse(false);
        for (WebFacts.Resource resource : web.resources()) {
            if (https && resource.url().startsWith("http:")) {
                findings.add(new Finding(
                        "mixed-content",
                        resource.blocking() ? Severity.HIGH : Severity.MEDIUM,
                        "content",
                        resource.url(),
                        "The HTTPS page loads " + resource.url() + " over plain HTTP"
                                + (resource.blocking()
                                        ? ", and browsers block it: the page breaks."
                                        : "; browsers block or warn about it.")));
            }
            if (!resource.thirdParty()) {
                continue;
            }
            thirdParties.add(resource.providerId());
            if (resource.blocking()) {
                blockingByProvider
                        .computeIfAbsent(resource.providerName(), k -> new ArrayList<>())
                        .add(resource);
            }
            boolean script = resource.kind().equals("script") || resource.kind().equals("module-script");
            if (script && !resource.inferred() && !resource.integrity()) {
                noIntegrity.add(resource);
            }
        }
        for (Map.Entry<String, List<WebFacts.Resource>> entry : blockingByProvider.entrySet()) {
            List<WebFacts.Resource> resources = entry.getValue();
            long scripts =
                    resources.stream().filter(r -> r.kind().contains("script")).count();
            findings.add(new Finding(
                    "blocking-third-party-resource",
                    scripts > 0 ? Severity.HIGH : Severity.MEDIUM,
                    "content",
                    entry.getKey(),
                    "The page does not render until " + entry.getKey() + " delivers " + describe(resources)
                            + ": if it hangs, so does " + site + "."));
        }
        if (thirdParties.size() >= MANY_PROVIDERS) {
            findings.add(new Finding(
                    "many-third-party-providers",
                    Severity.MEDIUM,
                    "content",
                    site,
                    "The page loads content from " + thirdParties.size()
                            + " third-party organisations: each is another way for it to break or leak."));
        }
        if (!noIntegrity.isEmpty()) {
            findings.add(new Finding(
                    "missing-subresource-integrity",
                    Severity.LOW,
                    "content",
                    site,
                    noIntegrity.size() + " third-party " + (noIntegrity.size() == 1 ? "script has" : "scripts have")
                            + " no integrity attribute (Subresource Integrity), for example "
                            + noIntegrity.getFirst().url() + ": a compromised provider can change them."));
        }
    }

    private static String describe(List<WebFacts.Resource> resources) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        resources.forEach(r -> kinds.merge(r.kind(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, count) -> parts.add(count + " " + kind + (count == 1 ? "" : "s")));
        return String.join(", ", parts);
    }
}
