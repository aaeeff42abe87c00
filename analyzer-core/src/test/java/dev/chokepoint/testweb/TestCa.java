package dev.chokepoint.testweb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made in memory for tests: a self-signed root (or an intermediate below
 * one) that issues server certificates for loopback HTTPS fixtures such as {@link HttpsTestServer}.
 *
 * <p>Nothing touches the JVM's global state: no security provider is registered and the default
 * trust store is left alone. Trust is opt-in, through {@link #trustManager()}, {@link
 * #clientContext()} or the PEM file from {@link #writePem(Path)}.
 *
 * <p>Every leaf it issues carries an Authority Information Access extension ({@link #OCSP_URL},
 * {@link #CA_ISSUERS_URL}) and a CRL distribution point ({@link #CRL_URL}); the hosts in them are
 * under {@code .test} and resolve nowhere.
 */
public final class TestCa {

    /** The OCSP responder named in the AIA extension of every issued leaf. */
    public static final String OCSP_URL = "http://ocsp.test-ca.test/";

    /** The caIssuers location named in the AIA extension of every issued leaf. */
    public static final String CA_ISSUERS_URL = "http://certs.test-ca.test/ca.crt";

    /** The CRL distribution point of every issued leaf. */
    public static final String CRL_URL = "http://crl.test-ca.test/ca.crl";

    /** How long before now a certificate from {@link #issue(List)} becomes valid. */
    static final Duration LEAF_BACKDATE = Duration.ofDays(1);

    /** How long after now a certificate from {@link #issue(List)} expires. */
    static final Duration LEAF_LIFETIME = Duration.ofDays(90);

    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong();

    /** The kind of key a CA and the leaves it issues use. */
    public enum KeyAlgorithm {
        /** ECDSA on NIST P-256, signed with SHA-256: fast to generate, the default. */
        EC_P256,
        /** RSA with a 2048-bit modulus, signed with SHA-256. */
        RSA_2048;

        KeyPair generate() {
            try {
                if (this == EC_P256) {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                    return generator.generateKeyPair();
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, RANDOM);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate a " + this + " key", e);
            }
        }

        String signatureAlgorithm() {
            return this == EC_P256 ? "SHA256withECDSA" : "SHA256withRSA";
        }
    }

    /**
     * A certificate with its private key, as a TLS server would present it.
     *
     * @param certificate the end-entity certificate
     * @param chain what the server sends: {@code certificate} first, then each intermediate CA
     *     certificate up to (but not including) the root; just {@code certificate} when issued by a
     *     root or self-signed
     * @param key the private key of {@code certificate}
     */
    public record Issued(X509Certificate certificate, List<X509Certificate> chain, PrivateKey key) {

        /** The alias of the key entry in {@link #keyStore()}. */
        public static final String KEY_ALIAS = "server";

        /** The password of {@link #keyStore()} and of its key entry. */
        public static final String KEY_STORE_PASSWORD = "changeit";

        /** Checks that the chain starts with the certificate and copies it. */
        public Issued {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
            chain = List.copyOf(chain);
            if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
                throw new IllegalArgumentException("the chain must start with the certificate");
            }
        }

        /**
         * An in-memory PKCS#12 key store holding the key and chain under {@link #KEY_ALIAS},
         * protected by {@link #KEY_STORE_PASSWORD}.
         */
        public KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(
                        KEY_ALIAS, key, KEY_STORE_PASSWORD.toCharArray(), chain.toArray(new X509Certificate[0]));
                return store;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build a PKCS#12 key store", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A TLS server context presenting this certificate and chain, trusting no client. */
        public SSLContext serverContext() {
            try {
                KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
                factory.init(keyStore(), KEY_STORE_PASSWORD.toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(factory.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build a server SSLContext", e);
            }
        }
    }

    private final String name;
    private final KeyAlgorithm algorithm;
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    /** Certificates of the intermediates from this CA up to (excluding) the root; empty for a root. */
    private final List<X509Certificate> intermediates;

    private TestCa(
            String name,
            KeyAlgorithm algorithm,
            KeyPair keyPair,
            X509Certificate certificate,
            List<X509Certificate> intermediates) {
        this.name = name;
        this.algorithm = algorithm;
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.intermediates = List.copyOf(intermediates);
    }

    /** Creates a self-signed root CA with an EC P-256 key, valid from one day ago for ten years. */
    public static TestCa create(String name) {
        return create(name, KeyAlgorithm.EC_P256);
    }

    /** Creates a self-signed root CA with the given kind of key, valid from one day ago for ten years. */
    public static TestCa create(String name, KeyAlgorithm algorithm) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(algorithm, "algorithm");
        KeyPair keyPair = algorithm.generate();
        X500Name subject = caName(name);
        Instant now = Instant.now();
        X509Certificate certificate = build(
                subject,
                subject,
                keyPair.getPublic(),
                keyPair.getPrivate(),
                keyPair.getPublic(),
                algorithm,
                now.minus(LEAF_BACKDATE),
                now.plus(CA_LIFETIME),
                builder -> addCaExtensions(builder));
        return new TestCa(name, algorithm, keyPair, certificate, List.of());
    }

    /**
     * Creates an intermediate CA signed by this one, with the same kind of key; leaves it issues
     * carry the intermediate (and any above it) in {@link Issued#chain()}, so that chains of three
     * or more can be tested.
     */
    public TestCa intermediate(String intermediateName) {
        Objects.requireNonNull(intermediateName, "intermediateName");
        KeyPair intermediateKeys = algorithm.generate();
        Instant now = Instant.now();
        X509Certificate intermediateCertificate = build(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                caName(intermediateName),
                intermediateKeys.getPublic(),
                keyPair.getPrivate(),
                keyPair.getPublic(),
                algorithm,
                now.minus(LEAF_BACKDATE),
                now.plus(CA_LIFETIME),
                builder -> addCaExtensions(builder));
        List<X509Certificate> above = new ArrayList<>();
        above.add(intermediateCertificate);
        above.addAll(intermediates);
        return new TestCa(intermediateName, algorithm, intermediateKeys, intermediateCertificate, above);
    }

    /**
     * Issues a server certificate for the names, valid from one day ago to 90 days from now.
     *
     * @param names DNS names and IP literals ({@code 127.0.0.1}, {@code ::1}), each becoming a
     *     subject alternative name of the matching type; the first is also the subject CN
     */
    public Issued issue(List<String> names) {
        Instant now = Instant.now();
        return issue(names, now.minus(LEAF_BACKDATE), now.plus(LEAF_LIFETIME));
    }

    /**
     * Issues a server certificate for the names with the given validity, for expired,
     * not-yet-valid or expiring-soon certificates. Times are truncated to whole seconds.
     */
    public Issued issue(List<String> names, Instant notBefore, Instant notAfter) {
        List<String> sans = checkNames(names);
        KeyPair leafKeys = algorithm.generate();
        X509Certificate leaf = build(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                leafName(sans.get(0)),
                leafKeys.getPublic(),
                keyPair.getPrivate(),
                keyPair.getPublic(),
                algorithm,
                notBefore,
                notAfter,
                builder -> addLeafExtensions(builder, algorithm, sans, true));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(intermediates);
        return new Issued(leaf, chain, leafKeys.getPrivate());
    }

    /**
     * A self-signed server certificate for the names, not issued by this CA (nor any other), with
     * the same kind of key and validity as {@link #issue(List)}, and no AIA or CRL extension.
     */
    public Issued selfSigned(List<String> names) {
        List<String> sans = checkNames(names);
        KeyPair leafKeys = algorithm.generate();
        X500Name subject = leafName(sans.get(0));
        Instant now = Instant.now();
        X509Certificate leaf = build(
                subject,
                subject,
                leafKeys.getPublic(),
                leafKeys.getPrivate(),
                leafKeys.getPublic(),
                algorithm,
                now.minus(LEAF_BACKDATE),
                now.plus(LEAF_LIFETIME),
                builder -> addLeafExtensions(builder, algorithm, sans, false));
        return new Issued(leaf, List.of(leaf), leafKeys.getPrivate());
    }

    /** The name this CA was created with (its subject CN). */
    public String name() {
        return name;
    }

    /** This CA's own certificate: self-signed for a root, signed by its parent for an intermediate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** This CA's certificate in PEM form ({@code -----BEGIN CERTIFICATE-----}, 64-column base64). */
    public String pem() {
        return toPem(certificate);
    }

    /**
     * Writes {@link #pem()} to {@code DIR/NAME.pem} (the name lower-cased, anything but letters
     * and digits replaced by {@code -}), for a {@code --cacert FILE} option, and returns the file.
     */
    public Path writePem(Path dir) {
        String fileName = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".pem";
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, pem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * A PKIX trust manager whose only trust anchor is this CA's certificate (for a root, chains
     * through any of its intermediates validate; for an intermediate, only chains through it).
     * Revocation is not checked.
     */
    public X509TrustManager trustManager() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("PKIX returned no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS client context that trusts only this CA ({@link #trustManager()}) and has no client key. */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client SSLContext", e);
        }
    }

    /** A certificate in PEM form, 64 base64 characters a line, ending with a newline. */
    public static String toPem(X509Certificate certificate) {
        try {
            Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            return "-----BEGIN CERTIFICATE-----\n"
                    + encoder.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    /** Whether a SAN entry is an IP literal (IPv4 dotted quad, or anything with a colon as IPv6). */
    static boolean isIpLiteral(String name) {
        return IPV4_LITERAL.matcher(name).matches() || name.contains(":");
    }

    private static List<String> checkNames(List<String> names) {
        List<String> copy = List.copyOf(names);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        return copy;
    }

    private static X500Name caName(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, name)
                .addRDN(BCStyle.CN, name)
                .build();
    }

    private static X500Name leafName(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    @FunctionalInterface
    private interface ExtensionAdder {
        void addTo(X509v3CertificateBuilder builder) throws CertIOException, GeneralSecurityException;
    }

    private static X509Certificate build(
            X500Name issuer,
            X500Name subject,
            PublicKey subjectKey,
            PrivateKey issuerKey,
            PublicKey issuerPublicKey,
            KeyAlgorithm issuerAlgorithm,
            Instant notBefore,
            Instant notAfter,
            ExtensionAdder extensions) {
        try {
            BigInteger serial =
                    BigInteger.valueOf(SERIALS.incrementAndGet()).shiftLeft(64).or(new BigInteger(63, RANDOM));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    serial,
                    Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)),
                    Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)),
                    subject,
                    subjectKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            if (!issuer.equals(subject) || !issuerPublicKey.equals(subjectKey)) {
                builder.addExtension(
                        Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerPublicKey));
            }
            extensions.addTo(builder);
            ContentSigner signer = new JcaContentSignerBuilder(issuerAlgorithm.signatureAlgorithm()).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot build a certificate for " + subject, e);
        }
    }

    private static void addCaExtensions(X509v3CertificateBuilder builder) throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }

    private static void addLeafExtensions(
            X509v3CertificateBuilder builder, KeyAlgorithm algorithm, List<String> names, boolean withAccessInfo)
            throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        int usage = algorithm == KeyAlgorithm.RSA_2048
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        GeneralName[] sans = names.stream()
                .map(name -> isIpLiteral(name)
                        ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        if (withAccessInfo) {
            builder.addExtension(
                    Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription[] {
                        new AccessDescription(
                                AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, OCSP_URL)),
                        new AccessDescription(
                                AccessDescription.id_ad_caIssuers,
                                new GeneralName(GeneralName.uniformResourceIdentifier, CA_ISSUERS_URL))
                    }));
            DistributionPointName pointName = new DistributionPointName(
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, CRL_URL)));
            builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(pointName, null, null)
            }));
        }
    }
}
