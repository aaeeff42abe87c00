package dev.chokepoint.testweb;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port), over TLS with certificates from a
 * {@link TestCa}, or plain, for tests of the web layer. Built on the JDK's {@code
 * com.sun.net.httpserver}: HTTP/1.1 only (no ALPN, so clients fall back from HTTP/2), with
 * keep-alive.
 *
 * <p>Routes are exact paths (the query is ignored), registered fluently and changeable while the
 * server runs; any other path answers 404. Every request is logged before it is answered (see
 * {@link #requests()}), including the SNI host name of its TLS connection. Every SNI host name
 * offered in a ClientHello is also logged on its own ({@link #handshakeServerNames()}), even
 * when the handshake then fails, e.g. because the client rejects the certificate.
 *
 * <pre>{@code
 * TestCa ca = TestCa.create("Test Root");
 * try (HttpsTestServer server = HttpsTestServer.start(ca.issue(List.of("localhost", "127.0.0.1")))) {
 *     server.page("/", "<html>hi</html>", Map.of("Server", "cloudflare"))
 *             .redirect("/old", 301, "/");
 *     // connect with ca.clientContext() to server.uri("/")
 * }
 * }</pre>
 */
public final class HttpsTestServer implements AutoCloseable {

    /** The media type of {@link #page} responses. */
    public static final String HTML = "text/html; charset=utf-8";

    private static final int HANDLER_THREADS = 6;
    private static final long CLOSE_WAIT_MILLIS = 2_000;
    private static final Duration TRICKLE_TICK = Duration.ofMillis(100);
    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean tls;
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> handshakeServerNames;

    private HttpsTestServer(HttpServer server, ExecutorService executor, boolean tls, List<String> handshakeNames) {
        this.server = server;
        this.executor = executor;
        this.tls = tls;
        this.handshakeServerNames = handshakeNames;
    }

    /** Starts an HTTPS server presenting the certificate (and its chain) to every client. */
    public static HttpsTestServer start(TestCa.Issued certificate) {
        return start(List.of(certificate));
    }

    /**
     * Starts an HTTPS server presenting, per connection, the first certificate whose DNS names
     * match the client's SNI host name (exactly or by a one-label wildcard); a client that sends
     * no SNI, or a name none covers, gets the first certificate. Certificates are presented as
     * given, expired or not.
     */
    public static HttpsTestServer start(List<TestCa.Issued> certificates) {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SniKeyManager(certificates)}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the server's SSLContext", e);
        }
        List<String> handshakeNames = new CopyOnWriteArrayList<>();
        SNIMatcher recorder = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName serverName) {
                handshakeNames.add(
                        serverName instanceof SNIHostName host
                                ? host.getAsciiName()
                                : new String(serverName.getEncoded(), StandardCharsets.US_ASCII));
                return true;
            }
        };
        ExecutorService executor = newExecutor();
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(loopback(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                    parameters.setSNIMatchers(List.of(recorder));
                    params.setSSLParameters(parameters);
                }
            });
            return launch(server, executor, true, handshakeNames);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a plain HTTP server, for the {@code http://} fallback. */
    public static HttpsTestServer startPlainHttp() {
        ExecutorService executor = newExecutor();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(loopback(), 0), 0);
            return launch(server, executor, false, List.of());
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException(e);
        }
    }

    private static HttpsTestServer launch(
            HttpServer server, ExecutorService executor, boolean tls, List<String> handshakeNames) {
        HttpsTestServer testServer = new HttpsTestServer(server, executor, tls, handshakeNames);
        server.setExecutor(executor);
        server.createContext("/", testServer::dispatch);
        server.start();
        return testServer;
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address the server listens on: 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Whether this server speaks TLS ({@link #start}) rather than plain HTTP. */
    public boolean isTls() {
        return tls;
    }

    /**
     * {@code https://localhost:PORT/path} (or {@code http://}); localhost resolves to 127.0.0.1,
     * where the server listens. OkHttp (through the JDK's SSLSocket) sends no SNI for {@code
     * localhost}; use {@link #uri(String, String)} with a dotted name for SNI tests.
     */
    public URI uri(String path) {
        return uri("localhost", path);
    }

    /** {@code https://HOST:PORT/path} (or {@code http://}), for a host that resolves to 127.0.0.1. */
    public URI uri(String host, String path) {
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create((tls ? "https" : "http") + "://" + authority + ":" + port() + path);
    }

    /** Serves the page with status 200 and {@code Content-Type: text/html; charset=utf-8}. */
    public HttpsTestServer page(String path, String html) {
        return page(path, html, List.of());
    }

    /** Serves the page with status 200, adding the response headers. */
    public HttpsTestServer page(String path, String html, Map<String, String> headers) {
        return page(path, html, List.copyOf(headers.entrySet()));
    }

    /**
     * Serves the page with status 200, adding the response headers in order; a name may repeat,
     * and each entry is then a separate header line.
     */
    public HttpsTestServer page(String path, String html, List<Map.Entry<String, String>> headers) {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> extra = List.copyOf(headers);
        return handle(path, exchange -> {
            for (Map.Entry<String, String> header : extra) {
                exchange.getResponseHeaders().add(header.getKey(), header.getValue());
            }
            send(exchange, 200, HTML, body);
        });
    }

    /** Serves the bytes with status 200 and the given {@code Content-Type}. */
    public HttpsTestServer resource(String path, String contentType, byte[] bytes) {
        byte[] body = bytes.clone();
        return handle(path, exchange -> send(exchange, 200, contentType, body));
    }

    /** Answers with a redirect (301, 302, 303, 307 or 308) to the location, with no body. */
    public HttpsTestServer redirect(String path, int status, String location) {
        if (!REDIRECT_CODES.contains(status)) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        Objects.requireNonNull(location, "location");
        return handle(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        });
    }

    /**
     * Serves the page gzip-compressed, with {@code Content-Encoding: gzip}, when the request's
     * {@code Accept-Encoding} lists gzip (and not with {@code q=0}); uncompressed otherwise.
     * Either way with {@code Vary: Accept-Encoding} and a {@code Content-Length}.
     */
    public HttpsTestServer gzip(String path, String html) {
        byte[] plain = html.getBytes(StandardCharsets.UTF_8);
        byte[] compressed = gzipped(plain);
        return handle(path, exchange -> {
            exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
            if (acceptsGzip(exchange.getRequestHeaders())) {
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                send(exchange, 200, HTML, compressed);
            } else {
                send(exchange, 200, HTML, plain);
            }
        });
    }

    /** Waits the delay before sending any header, then serves a small page. */
    public HttpsTestServer slow(String path, Duration delayBeforeHeaders) {
        return slow(path, delayBeforeHeaders, "<!DOCTYPE html>\n<html><body>slow</body></html>\n");
    }

    /** Waits the delay before sending any header, then serves the page. */
    public HttpsTestServer slow(String path, Duration delayBeforeHeaders, String html) {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        long millis = delayBeforeHeaders.toMillis();
        return handle(path, exchange -> {
            sleep(millis);
            send(exchange, 200, HTML, body);
        });
    }

    /**
     * Sends the headers at once (with {@code Content-Length: totalBytes}), then the body of HTML
     * filler at about the rate, in a slice every 100 ms.
     */
    public HttpsTestServer trickle(String path, long bytesPerSecond, long totalBytes) {
        if (bytesPerSecond <= 0 || totalBytes < 0) {
            throw new IllegalArgumentException("rate must be positive and length non-negative");
        }
        int slice = (int) Math.max(1, Math.min(65_536, bytesPerSecond * TRICKLE_TICK.toMillis() / 1000));
        return handle(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", HTML);
            if (isHead(exchange)) {
                sendHeadHeaders(exchange, 200, totalBytes);
                return;
            }
            exchange.sendResponseHeaders(200, totalBytes == 0 ? -1 : totalBytes);
            OutputStream body = exchange.getResponseBody();
            body.flush();
            long start = System.nanoTime();
            byte[] buffer = new byte[slice];
            long sent = 0;
            try (InputStream filler = FillerInputStream.lines(totalBytes)) {
                int read;
                while ((read = filler.read(buffer, 0, buffer.length)) > 0) {
                    body.write(buffer, 0, read);
                    body.flush();
                    sent += read;
                    long dueNanos = sent * 1_000_000_000L / bytesPerSecond;
                    long waitMillis = (dueNanos - (System.nanoTime() - start)) / 1_000_000;
                    if (waitMillis > 0 && sent < totalBytes) {
                        sleep(waitMillis);
                    }
                }
            }
        });
    }

    /**
     * Streams exactly that many bytes of HTML filler with a {@code Content-Length}, generated as
     * it is sent (nothing held in memory).
     */
    public HttpsTestServer huge(String path, long bytes) {
        return streamFiller(path, bytes, true);
    }

    /** Like {@link #huge}, but with chunked transfer coding, so no length is declared up front. */
    public HttpsTestServer hugeChunked(String path, long bytes) {
        return streamFiller(path, bytes, false);
    }

    /**
     * Serves, whatever the request's {@code Accept-Encoding}, a gzip body (with {@code
     * Content-Encoding: gzip} and {@code Content-Length}) that decompresses to that many bytes of
     * HTML filler (a doctype and tags, then spaces). The compressed body, about a thousandth of
     * that (deflate's limit), is built on the first request by streaming the filler through a
     * deflater, and kept; building it takes about 0.6 s per 100 MiB.
     */
    public HttpsTestServer gzipBomb(String path, long decompressedBytes) {
        if (decompressedBytes < 0) {
            throw new IllegalArgumentException("negative length " + decompressedBytes);
        }
        byte[][] cache = new byte[1][];
        return handle(path, exchange -> {
            byte[] compressed;
            synchronized (cache) {
                if (cache[0] == null) {
                    cache[0] = gzippedFiller(decompressedBytes);
                }
                compressed = cache[0];
            }
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            send(exchange, 200, HTML, compressed);
        });
    }

    /** Answers with the status (404, 500, ...) and a short plain-text body naming it. */
    public HttpsTestServer status(String path, int code) {
        byte[] body = (code + " status\n").getBytes(StandardCharsets.US_ASCII);
        return handle(path, exchange -> send(exchange, code, "text/plain; charset=utf-8", body));
    }

    /**
     * Routes the path to a handler of one's own; the request is logged before it runs, and the
     * exchange closed after it.
     */
    public HttpsTestServer handle(String path, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with '/': " + path);
        }
        routes.put(path, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Every request received so far, in order of arrival. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every request received so far for the path (query ignored), in order of arrival. */
    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    /**
     * The SNI host name of every TLS ClientHello that carried one, in order, including
     * handshakes that then failed; a resumed or repeated handshake counts again.
     */
    public List<String> handshakeServerNames() {
        return List.copyOf(handshakeServerNames);
    }

    /** Stops at once: closes the listener and every connection and ends the handler threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("handler threads still running after " + CLOSE_WAIT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(HttpExchange exchange) {
        try (exchange) {
            requests.add(record(exchange));
            HttpHandler route = routes.get(exchange.getRequestURI().getRawPath());
            if (route == null) {
                byte[] body = "404 not found\n".getBytes(StandardCharsets.US_ASCII);
                send(exchange, 404, "text/plain; charset=utf-8", body);
            } else {
                route.handle(exchange);
            }
        } catch (IOException | UncheckedIOException e) {
            // The client went away (a size or time limit of the client under test): expected.
        }
    }

    private static RecordedRequest record(HttpExchange exchange) {
        Optional<String> serverName = Optional.empty();
        Optional<String> tlsProtocol = Optional.empty();
        if (exchange instanceof HttpsExchange https) {
            SSLSession session = https.getSSLSession();
            tlsProtocol = Optional.ofNullable(session.getProtocol());
            if (session instanceof ExtendedSSLSession extended) {
                serverName = extended.getRequestedServerNames().stream()
                        .filter(SNIHostName.class::isInstance)
                        .map(name -> ((SNIHostName) name).getAsciiName())
                        .findFirst();
            }
        }
        return new RecordedRequest(
                exchange.getRequestMethod(),
                exchange.getRequestURI(),
                exchange.getProtocol(),
                exchange.getRequestHeaders(),
                serverName,
                tlsProtocol,
                exchange.getRemoteAddress(),
                Instant.now());
    }

    private HttpsTestServer streamFiller(String path, long bytes, boolean declareLength) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative length " + bytes);
        }
        return handle(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", HTML);
            if (isHead(exchange)) {
                sendHeadHeaders(exchange, 200, declareLength ? bytes : -1);
                return;
            }
            exchange.sendResponseHeaders(200, declareLength ? (bytes == 0 ? -1 : bytes) : 0);
            try (InputStream filler = FillerInputStream.lines(bytes)) {
                filler.transferTo(exchange.getResponseBody());
            }
        });
    }

    /** Sends a complete response; for HEAD only the headers, with the body's length. */
    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean bodyless = status == 204 || status == 304 || status < 200;
        if (isHead(exchange) || bodyless) {
            sendHeadHeaders(exchange, status, bodyless ? -1 : body.length);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** Headers only: the JDK server wants {@code -1} for HEAD and the length set by hand. */
    private static void sendHeadHeaders(HttpExchange exchange, int status, long contentLength) throws IOException {
        if (contentLength >= 0) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(contentLength));
        }
        exchange.sendResponseHeaders(status, -1);
    }

    private static boolean isHead(HttpExchange exchange) {
        return "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
    }

    /** Whether Accept-Encoding lists gzip (or {@code *}) with a non-zero quality. */
    static boolean acceptsGzip(Headers requestHeaders) {
        List<String> values = requestHeaders.getOrDefault("Accept-Encoding", List.of());
        for (String value : values) {
            for (String coding : value.split(",")) {
                String[] parts = coding.trim().split(";");
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                if (!name.equals("gzip") && !name.equals("x-gzip") && !name.equals("*")) {
                    continue;
                }
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
                    if (parameter.matches("q=0(\\.0*)?")) {
                        refused = true;
                    }
                }
                if (!refused) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] gzipped(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzippedFiller(long decompressedBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(1 << 24, decompressedBytes / 900 + 1024));
        try (GZIPOutputStream gzip = new BestGzipOutputStream(out);
                InputStream filler = FillerInputStream.spaces(decompressedBytes)) {
            filler.transferTo(gzip);
        }
        return out.toByteArray();
    }

    /** gzip at the best compression level, with a large input buffer. */
    private static final class BestGzipOutputStream extends GZIPOutputStream {
        BestGzipOutputStream(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: the server is closing", e);
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExecutorService newExecutor() {
        int serverNumber = SERVER_NUMBERS.incrementAndGet();
        AtomicInteger threadNumbers = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(
                    runnable, "https-test-server-" + serverNumber + "-handler-" + threadNumbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(HANDLER_THREADS, factory);
    }
}
