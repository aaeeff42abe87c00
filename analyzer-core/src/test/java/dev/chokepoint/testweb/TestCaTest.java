package dev.chokepoint.testweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCaTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String EC_AUTH_TYPE = "ECDHE_ECDSA";

    private static TestCa ca;

    @BeforeAll
    static void createCa() {
        ca = TestCa.create("Chokepoint Test Root");
    }

    @Test
    void rootIsSelfSignedCaWithCertSignAndCrlSignUsage() throws Exception {
        X509Certificate root = ca.certificate();

        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
        assertThat(root.getSubjectX500Principal().getName()).contains("CN=Chokepoint Test Root");
        root.verify(root.getPublicKey());
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        boolean[] usage = root.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(usage[0]).as("digitalSignature").isFalse();
        assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void rsaRootIssuesRsaLeavesThatValidate() throws Exception {
        TestCa rsa = TestCa.create("RSA Root", TestCa.KeyAlgorithm.RSA_2048);
        TestCa.Issued leaf = rsa.issue(List.of("rsa.example.test"));

        assertThat(rsa.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(leaf.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(leaf.certificate().getSigAlgName()).isEqualToIgnoringCase("SHA256withRSA");
        assertThat(leaf.certificate().getKeyUsage()[2]).as("keyEncipherment").isTrue();
        rsa.trustManager().checkServerTrusted(chainArray(leaf), "ECDHE_RSA");
    }

    @Test
    void leafIsSignedByTheCaForItsNamesAndIpAddresses() throws Exception {
        TestCa.Issued leaf = ca.issue(List.of("localhost", "www.example.test", "127.0.0.1", "::1"));
        X509Certificate certificate = leaf.certificate();

        certificate.verify(ca.certificate().getPublicKey());
        assertThat(certificate.getIssuerX500Principal())
                .isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(sans(certificate))
                .containsExactly("2:localhost", "2:www.example.test", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1");
        assertThat(leaf.chain()).containsExactly(certificate);
    }

    @Test
    void leafIsServerAuthEndEntityValidFromYesterdayForNinetyDays() throws Exception {
        Instant before = Instant.now();
        X509Certificate certificate = ca.issue(List.of("www.example.test")).certificate();
        Instant after = Instant.now();

        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(certificate.getNotBefore().toInstant())
                .isBetween(before.minus(Duration.ofDays(1)).minusSeconds(1), after.minus(Duration.ofDays(1)));
        assertThat(certificate.getNotAfter().toInstant())
                .isBetween(before.plus(Duration.ofDays(90)).minusSeconds(1), after.plus(Duration.ofDays(90)));
        certificate.checkValidity();
    }

    @Test
    void leafCarriesAiaWithOcspAndCaIssuersUrls() throws Exception {
        X509Certificate certificate = ca.issue(List.of("www.example.test")).certificate();

        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        assertThat(value).isNotNull();
        AuthorityInformationAccess access =
                AuthorityInformationAccess.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
        List<String> urls = new ArrayList<>();
        for (AccessDescription description : access.getAccessDescriptions()) {
            String method = description.getAccessMethod().equals(AccessDescription.id_ad_ocsp) ? "ocsp" : "caIssuers";
            urls.add(method + " " + uri(description.getAccessLocation()));
        }
        assertThat(urls)
                .containsExactly("ocsp http://ocsp.test-ca.test/", "caIssuers http://certs.test-ca.test/ca.crt");
    }

    @Test
    void leafCarriesCrlDistributionPoint() throws Exception {
        X509Certificate certificate = ca.issue(List.of("www.example.test")).certificate();

        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        assertThat(value).isNotNull();
        CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
        List<String> urls = new ArrayList<>();
        for (DistributionPoint point : points.getDistributionPoints()) {
            for (GeneralName name : GeneralNames.getInstance(
                            point.getDistributionPoint().getName())
                    .getNames()) {
                urls.add(uri(name));
            }
        }
        assertThat(urls).containsExactly(TestCa.CRL_URL);
    }

    @Test
    void chainValidatesAgainstTheCaAndNotAgainstTheDefaultTrustStore() throws Exception {
        TestCa.Issued leaf = ca.issue(List.of("www.example.test"));

        ca.trustManager().checkServerTrusted(chainArray(leaf), EC_AUTH_TYPE);
        assertThat(ca.trustManager().getAcceptedIssuers()).containsExactly(ca.certificate());
        assertThatThrownBy(() -> defaultTrustManager().checkServerTrusted(chainArray(leaf), EC_AUTH_TYPE))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void chainFromAnotherTestCaIsNotTrusted() {
        TestCa other = TestCa.create("Other Root");
        TestCa.Issued leaf = other.issue(List.of("www.example.test"));

        assertThatThrownBy(() -> ca.trustManager().checkServerTrusted(chainArray(leaf), EC_AUTH_TYPE))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void expiredLeafHasNotAfterInThePast() {
        Instant now = Instant.now();
        X509Certificate certificate = ca.issue(
                        List.of("expired.example.test"),
                        now.minus(Duration.ofDays(100)),
                        now.minus(Duration.ofDays(10)))
                .certificate();

        assertThat(certificate.getNotAfter().toInstant()).isBefore(now);
        assertThatThrownBy(certificate::checkValidity).isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void expiringSoonLeafHasTheRequestedNotAfter() throws Exception {
        Instant notAfter = Instant.parse("2099-01-02T03:04:05.678Z");
        X509Certificate certificate =
                ca.issue(List.of("soon.example.test"), Instant.now(), notAfter).certificate();

        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2099-01-02T03:04:05Z"));
    }

    @Test
    void intermediateMakesChainOfThreeThatValidatesAgainstTheRoot() throws Exception {
        TestCa intermediate = ca.intermediate("Chokepoint Test Issuing CA");
        TestCa.Issued leaf = intermediate.issue(List.of("www.example.test"));

        assertThat(intermediate.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        intermediate.certificate().verify(ca.certificate().getPublicKey());
        leaf.certificate().verify(intermediate.certificate().getPublicKey());
        assertThat(leaf.chain()).containsExactly(leaf.certificate(), intermediate.certificate());
        ca.trustManager().checkServerTrusted(chainArray(leaf), EC_AUTH_TYPE);
        intermediate.trustManager().checkServerTrusted(chainArray(leaf), EC_AUTH_TYPE);
        X509Certificate[] leafOnly = {leaf.certificate()};
        assertThatThrownBy(() -> ca.trustManager().checkServerTrusted(leafOnly, EC_AUTH_TYPE))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void intermediateBelowIntermediateCarriesBothInTheChain() throws Exception {
        TestCa first = ca.intermediate("First Intermediate");
        TestCa second = first.intermediate("Second Intermediate");
        TestCa.Issued leaf = second.issue(List.of("deep.example.test"));

        assertThat(leaf.chain()).containsExactly(leaf.certificate(), second.certificate(), first.certificate());
        ca.trustManager().checkServerTrusted(chainArray(leaf), EC_AUTH_TYPE);
    }

    @Test
    void selfSignedLeafIsNotFromTheCaAndHasNoAccessExtensions() {
        TestCa.Issued leaf = ca.selfSigned(List.of("self.example.test"));
        X509Certificate certificate = leaf.certificate();

        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.chain()).containsExactly(certificate);
        assertThat(certificate.getExtensionValue(Extension.authorityInfoAccess.getId()))
                .isNull();
        assertThatThrownBy(() -> ca.trustManager().checkServerTrusted(chainArray(leaf), EC_AUTH_TYPE))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void keyStoreHoldsTheKeyAndChainUnderTheAlias() throws Exception {
        TestCa.Issued leaf = ca.intermediate("Store Intermediate").issue(List.of("www.example.test"));
        KeyStore store = leaf.keyStore();

        assertThat(store.getType()).isEqualToIgnoringCase("PKCS12");
        assertThat(store.getKey(TestCa.Issued.KEY_ALIAS, TestCa.Issued.KEY_STORE_PASSWORD.toCharArray()))
                .isEqualTo(leaf.key());
        assertThat(store.getCertificateChain(TestCa.Issued.KEY_ALIAS)).containsExactlyElementsOf(leaf.chain());
        assertThat(leaf.serverContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void writePemWritesTheCaCertificateForCacertOption(@TempDir Path dir) throws Exception {
        Path file = ca.writePem(dir);

        assertThat(file.getFileName().toString()).isEqualTo("chokepoint-test-root.pem");
        String text = Files.readString(file);
        assertThat(text).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(text.lines()).allMatch(line -> line.length() <= 64);
        try (InputStream in = Files.newInputStream(file)) {
            assertThat(CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .isEqualTo(ca.certificate());
        }
    }

    @Test
    void issuingWithoutNamesIsRejected() {
        assertThatThrownBy(() -> ca.issue(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static X509Certificate[] chainArray(TestCa.Issued issued) {
        return issued.chain().toArray(new X509Certificate[0]);
    }

    private static List<String> sans(X509Certificate certificate) throws CertificateException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        List<String> out = new ArrayList<>();
        for (List<?> name : names) {
            out.add(name.get(0) + ":" + name.get(1));
        }
        return out;
    }

    private static String uri(GeneralName name) {
        assertThat(name.getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        return name.getName().toString();
    }

    private static X509TrustManager defaultTrustManager() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IOException("no default X509TrustManager");
    }
}
