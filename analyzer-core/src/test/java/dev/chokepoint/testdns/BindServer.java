package dev.chokepoint.testdns;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Debian's BIND {@code named} serving a directory of zone files authoritatively on 127.0.0.1, for
 * integration tests that check Chokepoint against a real DNS implementation.
 *
 * <p>Everything named writes stays in a temporary work directory, removed on {@link #close()}.
 * named runs in the foreground as the current user; as root it keeps uid 0 (with reduced
 * capabilities), which is harmless here because it only ever binds a high loopback port.
 */
public final class BindServer implements AutoCloseable {

    private static final Path DEBIAN_NAMED = Path.of("/usr/sbin/named");
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(250);
    private static final long PROBE_PAUSE_MILLIS = 50;
    private static final long EXIT_WAIT_SECONDS = 5;
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;

    /** What named 9.18 logs, before exiting, when another process holds its loopback port. */
    private static final String PORT_TAKEN_LOG_LINE = "unable to listen on any configured interfaces";

    private final Process process;
    private final Path workDirectory;
    private final int port;

    private BindServer(Process process, Path workDirectory, int port) {
        this.process = process;
        this.workDirectory = workDirectory;
        this.port = port;
    }

    /** The named binary on PATH, or Debian's /usr/sbin/named, if installed. */
    public static Optional<Path> namedBinary() {
        String path = System.getenv().getOrDefault("PATH", "");
        List<Path> candidates = new ArrayList<>();
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                candidates.add(Path.of(directory, "named"));
            }
        }
        // /usr/sbin is often missing from a non-root user's PATH.
        candidates.add(DEBIAN_NAMED);
        return candidates.stream()
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    /**
     * Starts named for every {@code ORIGIN.zone} file in the directory and waits (at most 10 s)
     * until it answers a SOA query for each zone.
     *
     * @throws IOException if named is missing, exits, or does not answer in time; the message
     *     then ends with the tail of named's log
     */
    public static BindServer start(Path zoneDirectory) throws IOException {
        Path named = namedBinary().orElseThrow(() -> new IOException("named not found on PATH or at " + DEBIAN_NAMED));
        List<ZoneFile> sources = ZoneFile.listIn(zoneDirectory);
        IOException lastFailure = null;
        // A port found free can be taken again before named binds it; a fresh port usually helps.
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            Path workDirectory = Files.createTempDirectory("chokepoint-named-");
            try {
                return startIn(named, workDirectory, sources);
            } catch (IOException e) {
                deleteRecursively(workDirectory);
                lastFailure = e;
                if (!e.getMessage().contains(PORT_TAKEN_LOG_LINE)) {
                    break;
                }
            }
        }
        throw lastFailure;
    }

    private static BindServer startIn(Path named, Path workDirectory, List<ZoneFile> sources) throws IOException {
        List<ZoneFile> zones = copyZones(sources, Files.createDirectory(workDirectory.resolve("zones")));
        int port = freeLoopbackPort();
        Path conf = workDirectory.resolve("named.conf");
        Files.writeString(conf, new NamedConfig(workDirectory, port, zones).render());
        Path log = workDirectory.resolve("named.log");
        Process process = new ProcessBuilder(named.toString(), "-g", "-4", "-n", "1", "-c", conf.toString())
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        BindServer server = new BindServer(process, workDirectory, port);
        try {
            server.awaitZones(zones, log);
            return server;
        } catch (IOException | RuntimeException e) {
            server.stopProcess();
            throw e;
        }
    }

    /** The port named listens on, for UDP and TCP, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The address to point a resolver at: 127.0.0.1 and {@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LoopbackSockets.LOOPBACK, port);
    }

    /** Stops named, waits for it to exit and removes its work directory. */
    @Override
    public void close() {
        stopProcess();
        deleteRecursively(workDirectory);
    }

    private void awaitZones(List<ZoneFile> zones, Path log) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP_LIMIT);
        SimpleResolver resolver = new SimpleResolver(address());
        resolver.setTimeout(PROBE_TIMEOUT);
        List<ZoneFile> pending = new ArrayList<>(zones);
        while (!pending.isEmpty()) {
            if (!process.isAlive()) {
                throw new IOException("named exited with status " + process.exitValue() + logTail(log));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("named did not serve " + pending.get(0).origin() + " within "
                        + STARTUP_LIMIT.toSeconds() + " s" + logTail(log));
            }
            if (answersSoa(resolver, pending.get(0).origin())) {
                pending.remove(0);
            } else {
                pause();
            }
        }
    }

    private static boolean answersSoa(SimpleResolver resolver, String origin) {
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(origin), Type.SOA, DClass.IN));
            Message response = resolver.send(query);
            return response.getRcode() == Rcode.NOERROR
                    && !response.getSection(Section.ANSWER).isEmpty();
        } catch (IOException e) {
            // Not listening yet, or still loading zones.
            return false;
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(PROBE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for named", e);
        }
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<ZoneFile> copyZones(List<ZoneFile> sources, Path target) throws IOException {
        List<ZoneFile> copies = new ArrayList<>();
        for (ZoneFile source : sources) {
            Path copy = target.resolve(source.path().getFileName());
            Files.copy(source.path(), copy);
            copies.add(new ZoneFile(source.origin(), copy));
        }
        return copies;
    }

    private static int freeLoopbackPort() throws IOException {
        try (LoopbackSockets sockets = LoopbackSockets.bind()) {
            return sockets.port();
        }
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "\n--- named log (last " + tail.size() + " lines) ---\n" + String.join("\n", tail);
        } catch (IOException | UncheckedIOException e) {
            return "\n(named log unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temp directory is untidy but harmless.
        }
    }
}
