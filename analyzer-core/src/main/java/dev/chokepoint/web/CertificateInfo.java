package dev.chokepoint.web;

import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * What a certificate says, as far as an audit cares: who it names, who issued it, how long it is valid and which
 * hosts a client contacts to check it (OCSP, CA issuers, CRL).
 *
 * @param subject the subject distinguished name
 * @param issuer the issuer distinguished name
 * @param issuerOrganisation the issuer's O= attribute, or its CN when there is no O
 * @param names the DNS and IP subject alternative names
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param ocspHosts hosts of the AIA OCSP URLs
 * @param caIssuerHosts hosts of the AIA CA Issuers URLs
 * @param crlHosts hosts of the CRL distribution points
 * @param der the encoded certificate, for snapshots
 */
public record CertificateInfo(
        String subject,
        String issuer,
        String issuerOrganisation,
        List<String> names,
        Instant notBefore,
        Instant notAfter,
        List<String> ocspHosts,
        List<String> caIssuerHosts,
        List<String> crlHosts,
        byte[] der) {

    /** Copies the lists. */
    public CertificateInfo {
        names = List.copyOf(names);
        ocspHosts = List.copyOf(ocspHosts);
        caIssuerHosts = List.copyOf(caIssuerHosts);
        crlHosts = List.copyOf(crlHosts);
        der = der.clone();
    }

    /** Reads the fields of {@code certificate}. */
    public static CertificateInfo of(X509Certificate certificate) {
        try {
            List<String> ocsp = new ArrayList<>();
            List<String> caIssuers = new ArrayList<>();
            byte[] aia = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
            if (aia != null) {
                AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(unwrap(aia));
                for (AccessDescription description : access.getAccessDescriptions()) {
                    Optional<String> host = uriHost(description.getAccessLocation());
                    if (host.isEmpty()) {
                        continue;
                    }
                    if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                        ocsp.add(host.get());
                    } else if (description.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
                        caIssuers.add(host.get());
                    }
                }
            }
            List<String> crl = new ArrayList<>();
            byte[] crlExtension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
            if (crlExtension != null) {
                for (DistributionPoint point :
                        CRLDistPoint.getInstance(unwrap(crlExtension)).getDistributionPoints()) {
                    DistributionPointName name = point.getDistributionPoint();
                    if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                        for (GeneralName general :
                                GeneralNames.getInstance(name.getName()).getNames()) {
                            uriHost(general).ifPresent(crl::add);
                        }
                    }
                }
            }
            return new CertificateInfo(
                    certificate.getSubjectX500Principal().getName(),
                    certificate.getIssuerX500Principal().getName(),
                    organisation(certificate.getIssuerX500Principal().getName()),
                    alternativeNames(certificate.getSubjectAlternativeNames()),
                    certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant(),
                    distinct(ocsp),
                    distinct(caIssuers),
                    distinct(crl),
                    certificate.getEncoded());
        } catch (CertificateParsingException | CertificateEncodingException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
        }
    }

    private static ASN1Primitive unwrap(byte[] extensionValue) {
        try {
            return ASN1Primitive.fromByteArray(
                    DEROctetString.getInstance(extensionValue).getOctets());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("malformed certificate extension", e);
        }
    }

    private static Optional<String> uriHost(GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return Optional.empty();
        }
        try {
            String host = java.net.URI.create(name.getName().toString()).getHost();
            return Optional.ofNullable(host).map(h -> h.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<String> alternativeNames(Collection<List<?>> names) {
        List<String> out = new ArrayList<>();
        if (names != null) {
            for (List<?> entry : names) {
                int type = (Integer) entry.get(0);
                if (type == 2 || type == 7) { // dNSName, iPAddress
                    out.add(entry.get(1).toString().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static String organisation(String distinguishedName) {
        try {
            String commonName = "";
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("O")) {
                    return rdn.getValue().toString();
                }
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    commonName = rdn.getValue().toString();
                }
            }
            return commonName;
        } catch (InvalidNameException e) {
            return distinguishedName;
        }
    }

    private static List<String> distinct(List<String> values) {
        return values.stream().distinct().toList();
    }

    /** Whether the certificate names {@code host}, with a wildcard matching one left-most label (RFC 6125). */
    public boolean names(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : names) {
            if (name.equals(h)) {
                return true;
            }
            if (name.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(name.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
