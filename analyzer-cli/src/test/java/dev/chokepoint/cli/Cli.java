package dev.chokepoint.cli;

import dev.chokepoint.testdns.World;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in-process and captures what it prints. */
final class Cli {
    private Cli() {}

    /** What one run printed, and its exit code. */
    record Run(int exitCode, String out, String err) {}

    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(List.of(args));
    }

    static List<String> args(String... args) {
        return new ArrayList<>(List.of(args));
    }

    /**
     * A datasets directory for tests: the project's real provider catalog and a small IP-to-ASN table covering the
     * sample world, so that results do not depend on whether the full table was fetched.
     */
    static Path datasets(Path dir) throws IOException {
        Path providers = Files.createDirectories(dir.resolve("providers"));
        for (String file : List.of("organisations.csv", "patterns.csv")) {
            Files.copy(World.root().resolve("datasets/providers").resolve(file), providers.resolve(file));
        }
        Path asn = Files.createDirectories(dir.resolve("asn"));
        Files.writeString(
                asn.resolve("asn-ipv4.csv"),
                String.join(
                        "\n",
                        "13.32.0.0,13.33.255.255,16509,\"Amazon.com, Inc.\"",
                        "40.93.0.0,40.93.255.255,8075,Microsoft Corporation",
                        "52.101.0.0,52.101.255.255,8075,Microsoft Corporation",
                        "104.16.0.0,104.18.255.255,13335,\"Cloudflare, Inc.\"",
                        "108.162.192.0,108.162.192.255,13335,\"Cloudflare, Inc.\"",
                        "142.250.0.0,142.250.255.255,15169,Google LLC",
                        "172.64.32.0,172.64.33.255,13335,\"Cloudflare, Inc.\"",
                        "173.245.58.0,173.245.59.255,13335,\"Cloudflare, Inc.\"",
                        "185.199.108.0,185.199.111.255,54113,\"Fastly, Inc.\"",
                        "198.51.44.0,198.51.45.255,62597,NSONE Inc",
                        "205.251.192.0,205.251.195.255,16509,\"Amazon.com, Inc.\"",
                        "209.85.128.0,209.85.255.255,15169,Google LLC",
                        ""));
        Files.writeString(
                asn.resolve("asn-ipv6.csv"),
                String.join(
                        "\n",
                        "2803:f800::,2803:f800:ffff:ffff:ffff:ffff:ffff:ffff,13335,\"Cloudflare, Inc.\"",
                        "2a06:98c0::,2a06:98c1:ffff:ffff:ffff:ffff:ffff:ffff,13335,\"Cloudflare, Inc.\"",
                        ""));
        Files.writeString(asn.resolve("VERSION"), "2.3.2026061719\n");
        return dir;
    }

    /**
     * The arguments of a quiet DNS-only scan of {@code input} into {@code out} against a loopback server on {@code
     * port}, with the test datasets, then {@code more}; without a {@code --qps} in {@code more}, unthrottled.
     */
    static List<String> scanArgs(Path input, Path out, int port, Path datasets, String... more) {
        List<String> args = args(
                "scan",
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--no-web",
                "--resolver",
                "127.0.0.1:" + port,
                "--datasets",
                datasets.toString(),
                "-q");
        args.addAll(List.of(more));
        if (!args.contains("--qps")) {
            args.addAll(List.of("--qps", "0"));
        }
        return args;
    }

    /**
     * Scans every site of {@code world} (DNS only) against a loopback server of its zones into {@code out}, with the
     * test datasets in {@code datasets}, and fails the test unless the scan exits 0.
     */
    static void scanWorld(dev.chokepoint.testdns.GeneratedWorld world, Path out, Path datasets, String... more)
            throws IOException {
        try (dev.chokepoint.testdns.ZoneServer server = dev.chokepoint.testdns.ZoneServer.start(world.zones())) {
            Path input = Files.write(out.resolveSibling(out.getFileName() + "-list.txt"), world.sites());
            Run run = run(scanArgs(input, out, server.port(), datasets, more));
            org.assertj.core.api.Assertions.assertThat(run.exitCode())
                    .as(run.err())
                    .isZero();
        }
    }
}
