package dev.chokepoint.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Handshake;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.internal.tls.OkHostnameVerifier;

/**
 * A {@link WebClient} on OkHttp. It connects to the addresses it is given (never the system resolver), records the
 * certificate chain and what validating it said instead of failing on it, follows no redirect, and reads at most the
 * body limit of raw bytes.
 */
public final class OkHttpWebClient implements WebClient {
    /** The User-Agent sent with every request, so that site owners can see who asked. */
    public static final String USER_AGENT = "chokepoint/0.1 (dependency audit)";

    /** The start of the error of an exchange that could not connect at all (refused, unreachable, handshake). */
    public static final String CANNOT_CONNECT = "cannot connect: ";

    private final WebSettings settings;
    private final X509TrustManager trust;
    private final OkHttpClient base;

    /** Creates a client with the JDK's trust anchors plus those in {@code settings}. */
    public OkHttpWebClient(WebSettings settings) {
        this.settings = settings;
        this.trust = trustManager(settings.trustAnchors());
        this.base = new OkHttpClient.Builder()
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .build();
    }

    @Override
    public HttpExchange get(URI url, List<InetAddress> addresses, Duration timeout, long maxBytes) {
        Instant started = Instant.now();
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        Optional<ConnectTo> override = settings.connectTo().stream()
                .filter(c -> c.host().equals(host) && c.port() == port)
                .findFirst();
        List<InetAddress> targets =
                override.flatMap(ConnectTo::address).map(List::of).orElse(addresses);
        if (targets.isEmpty()) {
            return HttpExchange.failed(url, started, Optional.empty(), "no address to connect to");
        }
        RecordingTrust recording = new RecordingTrust(trust, host);
        OkHttpClient client;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {recording}, null);
            client = base.newBuilder()
                    .dns(name -> name.equalsIgnoreCase(host) ? targets : List.of())
                    .socketFactory(new RemappingSocketFactory(override, targets))
                    .sslSocketFactory(context.getSocketFactory(), recording)
                    .hostnameVerifier(recording::verifyHostname)
                    .callTimeout(timeout)
                    .connectTimeout(timeout)
                    .readTimeout(timeout)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot create a TLS context", e);
        }
        Request request = new Request.Builder()
                .url(url.toString())
                .header("User-Agent", USER_AGENT)
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                // Asking for gzip ourselves turns off OkHttp's transparent decompression: the raw bytes are recorded
                // and the decompressed size is bounded separately.
                .header("Accept-Encoding", "gzip")
                .build();
        try (Response response = client.newCall(request).execute()) {
            Optional<String> connected = Optional.ofNullable(targets.getFirst().getHostAddress());
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            response.headers().forEach(pair -> headers.add(Map.entry(pair.getFirst(), pair.getSecond())));
            byte[] body;
            boolean truncated;
            ResponseBody responseBody = response.body();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            try (InputStream in = responseBody == null ? InputStream.nullInputStream() : responseBody.byteStream()) {
                byte[] buffer = new byte[16384];
                int n;
                while (received.size() <= maxBytes && (n = in.read(buffer)) > 0) {
                    received.write(buffer, 0, n);
                }
                truncated = received.size() > maxBytes;
            } catch (InterruptedIOException e) {
                // The time ran out mid-body (a trickling server): keep what arrived, marked as cut short.
                truncated = true;
            }
            body = received.size() > maxBytes
                    ? java.util.Arrays.copyOf(received.toByteArray(), (int) maxBytes)
                    : received.toByteArray();
            Optional<TlsObservation> tls =
                    Optional.ofNullable(response.handshake()).map(h -> observe(h, recording));
            return new HttpExchange(
                    url, started, connected, response.code(), headers, body, truncated, tls, Optional.empty());
        } catch (IOException e) {
            return HttpExchange.failed(
                    url, started, Optional.ofNullable(targets.getFirst().getHostAddress()), describe(e));
        }
    }

    private static TlsObservation observe(Handshake handshake, RecordingTrust recording) {
        // The chain as the server sent it: OkHttp's own peerCertificates() is rebuilt against trusted roots, and
        // comes back empty exactly when the chain is untrusted, which is when it matters most.
        List<CertificateInfo> chain = new ArrayList<>();
        for (X509Certificate certificate : recording.chain()) {
            chain.add(CertificateInfo.of(certificate));
        }
        return new TlsObservation(
                handshake.tlsVersion().javaName(), chain, recording.trustError(), recording.hostnameMatches());
    }

    private static String describe(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String kind =
                switch (e) {
                    case java.net.ConnectException c -> CANNOT_CONNECT + "connection refused or unreachable";
                    case java.net.NoRouteToHostException c -> CANNOT_CONNECT + "no route to host";
                    case java.net.SocketTimeoutException t
                    when message.contains("connect") -> CANNOT_CONNECT + "connection timed out";
                    case javax.net.ssl.SSLHandshakeException s -> CANNOT_CONNECT + "TLS handshake failed";
                    case java.net.SocketTimeoutException t -> "timed out";
                    case InterruptedIOException t -> "timed out";
                    case javax.net.ssl.SSLException s -> "TLS error";
                    case java.net.UnknownHostException u -> CANNOT_CONNECT + "no address";
                    default -> "I/O error";
                };
        return message.isBlank() ? kind : kind + " (" + message + ")";
    }

    private static X509TrustManager trustManager(List<X509Certificate> anchors) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (anchors.isEmpty()) {
                factory.init((KeyStore) null);
            } else {
                // The JDK's anchors and the extra ones together: copy the default store, then add.
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                TrustManagerFactory defaults =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                defaults.init((KeyStore) null);
                int i = 0;
                for (var manager : defaults.getTrustManagers()) {
                    if (manager instanceof X509TrustManager x509) {
                        for (X509Certificate issuer : x509.getAcceptedIssuers()) {
                            store.setCertificateEntry("jdk-" + i++, issuer);
                        }
                    }
                }
                for (X509Certificate anchor : anchors) {
                    store.setCertificateEntry("extra-" + i++, anchor);
                }
                factory.init(store);
            }
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager in the JDK");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load trust anchors: " + e.getMessage(), e);
        }
    }

    /** Accepts every chain so that the page can be audited, and records whether the real check passed. */
    private static final class RecordingTrust implements X509TrustManager {
        private final X509TrustManager delegate;
        private final String host;
        private volatile Optional<String> trustError = Optional.of("no handshake");
        private volatile boolean hostnameMatches;
        private volatile List<X509Certificate> chain = List.of();

        RecordingTrust(X509TrustManager delegate, String host) {
            this.delegate = delegate;
            this.host = host;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            this.chain = List.of(chain);
            try {
                delegate.checkServerTrusted(chain, authType);
                trustError = Optional.empty();
            } catch (CertificateException e) {
                trustError = Optional.of(rootCause(e));
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }

        boolean verifyHostname(String name, SSLSession session) {
            hostnameMatches = OkHostnameVerifier.INSTANCE.verify(host, session);
            return true;
        }

        Optional<String> trustError() {
            return trustError;
        }

        List<X509Certificate> chain() {
            return chain;
        }

        boolean hostnameMatches() {
            return hostnameMatches;
        }

        private static String rootCause(Throwable e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
    }

    /** Sends connections for an overridden host:port to the override's address and port. */
    private static final class RemappingSocketFactory extends SocketFactory {
        private final Optional<ConnectTo> override;
        private final List<InetAddress> targets;

        RemappingSocketFactory(Optional<ConnectTo> override, List<InetAddress> targets) {
            this.override = override;
            this.targets = targets;
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    super.connect(remap(endpoint), timeout);
                }
            };
        }

        private SocketAddress remap(SocketAddress endpoint) {
            if (override.isPresent()
                    && endpoint instanceof InetSocketAddress inet
                    && targets.contains(inet.getAddress())) {
                return new InetSocketAddress(inet.getAddress(), override.get().targetPort());
            }
            return endpoint;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return createSocket(address, port);
        }
    }
}
