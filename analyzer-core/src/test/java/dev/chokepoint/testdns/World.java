package dev.chokepoint.testdns;

import dev.chokepoint.provider.AsnRecord;
import dev.chokepoint.provider.AsnTable;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.provider.ProviderCatalog;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The test world: zone files with one site per finding, a small IP-to-ASN table and the project's real catalog. */
public final class World {
    private World() {}

    /** The repository root, found from the module directory the tests run in. */
    public static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("datasets/providers")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("tests must run inside the repository");
    }

    /** The directory of the test world's zone files. */
    public static Path zones() {
        return root().resolve("analyzer-core/src/test/resources/world");
    }

    /** The zone files of the bundled sample. */
    public static Path sampleZones() {
        return root().resolve("datasets/samples/zones");
    }

    /** Starts a loopback DNS server for the test world. */
    public static ZoneServer start() throws java.io.IOException {
        return ZoneServer.start(zones());
    }

    /** A small IP-to-ASN table covering the world's addresses. */
    public static AsnTable asnTable() {
        return AsnTable.of(
                "2.3.2026061719",
                List.of(
                        range("104.16.0.0", "104.16.255.255", 13335, "Cloudflare, Inc."),
                        range("108.162.192.0", "108.162.192.255", 13335, "Cloudflare, Inc."),
                        range("142.250.0.0", "142.250.255.255", 15169, "Google LLC"),
                        range("172.64.32.0", "172.64.33.255", 13335, "Cloudflare, Inc."),
                        range("173.245.58.0", "173.245.59.255", 13335, "Cloudflare, Inc."),
                        range("198.51.44.0", "198.51.45.255", 62597, "NSONE Inc"),
                        range("203.0.113.0", "203.0.113.255", 64500, "Example Hosting")));
    }

    /** The project's provider catalog with the world's ASN table. */
    public static Datasets datasets() {
        return new Datasets(ProviderCatalog.load(root().resolve("datasets/providers")), asnTable());
    }

    private static AsnTable.Range range(String first, String last, long asn, String organisation) {
        return new AsnTable.Range(address(first), address(last), new AsnRecord(asn, organisation));
    }

    private static InetAddress address(String literal) {
        return com.google.common.net.InetAddresses.forString(literal);
    }
}
