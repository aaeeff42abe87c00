package dev.chokepoint.testweb;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key manager that picks, among several certificates, the first whose subject
 * alternative names match the SNI host name the client sent, and otherwise the first one of the
 * key type the handshake asks for. Unlike the JDK's PKIX key manager it never passes over an
 * expired or otherwise flawed certificate, so a test server presents exactly what it was given.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private static final int SAN_DNS = 2;

    private final List<TestCa.Issued> certificates;

    SniKeyManager(List<TestCa.Issued> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("at least one certificate is needed");
        }
        this.certificates = List.copyOf(certificates);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        return choose(keyType, session);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            if (keyTypeMatches(keyType, certificates.get(i))) {
                aliases.add(alias(i));
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        TestCa.Issued issued = byAlias(alias);
        return issued == null ? null : issued.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        TestCa.Issued issued = byAlias(alias);
        return issued == null ? null : issued.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    private String choose(String keyType, SSLSession handshake) {
        String requested = requestedHostName(handshake);
        String fallback = null;
        for (int i = 0; i < certificates.size(); i++) {
            TestCa.Issued issued = certificates.get(i);
            if (!keyTypeMatches(keyType, issued)) {
                continue;
            }
            if (requested != null && covers(issued.certificate(), requested)) {
                return alias(i);
            }
            if (fallback == null) {
                fallback = alias(i);
            }
        }
        return fallback;
    }

    private static String requestedHostName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private static boolean keyTypeMatches(String keyType, TestCa.Issued issued) {
        return keyType != null && keyType.equalsIgnoreCase(issued.key().getAlgorithm());
    }

    /** Whether a DNS SAN of the certificate equals the name, or is a wildcard covering one label. */
    static boolean covers(X509Certificate certificate, String hostName) {
        String host = hostName.toLowerCase(Locale.ROOT);
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        for (List<?> san : sans) {
            if (!Integer.valueOf(SAN_DNS).equals(san.get(0))) {
                continue;
            }
            String pattern = ((String) san.get(1)).toLowerCase(Locale.ROOT);
            if (pattern.equals(host)) {
                return true;
            }
            if (pattern.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot).equals(pattern.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private TestCa.Issued byAlias(String alias) {
        if (alias == null || !alias.startsWith("cert-")) {
            return null;
        }
        try {
            int index = Integer.parseInt(alias.substring("cert-".length()));
            return index >= 0 && index < certificates.size() ? certificates.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String alias(int index) {
        return "cert-" + index;
    }
}
