package dev.chokepoint.export.rdf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Mints the IRIs of exported resources from the input alone, so that the same input always gives the same IRIs and
 * users can link to them. Things that exist outside any run (sites, hosts, addresses, networks, organisations,
 * providers, service needs) sit directly under {@link #BASE}; what one run concluded (assessments, findings,
 * dependencies, evidence) sits under its run's IRI. Path segments are percent-encoded (RFC 3986: everything but the
 * unreserved characters); where no short natural key exists, a segment is a hash of the stable parts.
 */
public final class Iris {
    /** The base of every minted IRI. */
    public static final String BASE = "https://w3id.org/chokepoint/id/";

    private Iris() {}

    /** {@code site/{domain}}. */
    public static String site(String domain) {
        return BASE + "site/" + segment(domain);
    }

    /** {@code host/{name}}. */
    public static String host(String name) {
        return BASE + "host/" + segment(name);
    }

    /** {@code address/{ip}}. */
    public static String address(String ip) {
        return BASE + "address/" + segment(ip);
    }

    /** {@code network/AS{n}}. */
    public static String network(long asn) {
        return BASE + "network/AS" + asn;
    }

    /** {@code organisation/{id}}. */
    public static String organisation(String organisationId) {
        return BASE + "organisation/" + segment(organisationId);
    }

    /** {@code provider/{organisation}/{service}}. */
    public static String provider(String organisationId, String serviceId) {
        return BASE + "provider/" + segment(organisationId) + "/" + segment(serviceId);
    }

    /** {@code need/{subject}/{service}}: a service that a site or a provider's zone needs. */
    public static String need(String subject, String serviceId) {
        return BASE + "need/" + segment(subject) + "/" + segment(serviceId);
    }

    /** {@code run/{id}}: the run, also the name of its graph. */
    public static String run(String runId) {
        return BASE + "run/" + segment(runId);
    }

    /** {@code run/{id}/dataset}: the VoID and DCAT description of the run's graph. */
    public static String runDataset(String runId) {
        return run(runId) + "/dataset";
    }

    /** {@code run/{id}/site/{domain}}: the run's assessment of a site. */
    public static String assessment(String runId, String domain) {
        return run(runId) + "/site/" + segment(domain);
    }

    /** {@code run/{id}/site/{domain}/service/{service}}. */
    public static String serviceAssessment(String runId, String domain, String serviceId) {
        return assessment(runId, domain) + "/service/" + segment(serviceId);
    }

    /** {@code run/{id}/site/{domain}/service/{service}/provider/{key}}, {@code key} usually the provider id. */
    public static String providerUse(String runId, String domain, String serviceId, String key) {
        return serviceAssessment(runId, domain, serviceId) + "/provider/" + segment(key);
    }

    /** {@code run/{id}/site/{domain}/finding/{check}-{hash}}, the hash over everything the finding says. */
    public static String finding(
            String runId, String domain, String check, String severity, String service, String subject, String text) {
        return assessment(runId, domain) + "/finding/" + segment(check) + "-"
                + hash(check, severity, service, subject, text);
    }

    /** {@code run/{id}/site/{domain}/dependency/{hash}}, the hash over the endpoints' ids and the relation. */
    public static String dependency(String runId, String domain, String sourceId, String relation, String targetId) {
        return assessment(runId, domain) + "/dependency/" + hash(sourceId, relation, targetId);
    }

    /** {@code run/{id}/site/{domain}/resource/{hash}}, the hash over the URL, the kind and whether it was inferred. */
    public static String pageResource(String runId, String domain, String url, String kind, boolean inferred) {
        return assessment(runId, domain) + "/resource/" + hash(url, kind, Boolean.toString(inferred));
    }

    /** {@code run/{id}/evidence/{hash}}, the hash over the record and the rule. */
    public static String evidence(String runId, String record, String rule) {
        return run(runId) + "/evidence/" + hash(record, rule);
    }

    /** Percent-encodes {@code text} as one path segment: UTF-8, every byte but RFC 3986's unreserved ones. */
    public static String segment(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    /** The first 16 hex digits of the SHA-256 of the parts, each followed by a NUL so that parts cannot run together. */
    static String hash(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
