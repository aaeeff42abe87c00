package dev.chokepoint.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AsnTableCacheTest {
    /** Addresses at the edges of, inside and between the fixture's ranges, in both families. */
    private static final List<String> PROBES = List.of(
            "0.0.0.0",
            "1.0.0.0",
            "1.0.0.1",
            "1.0.0.255",
            "1.0.1.0",
            "1.0.3.255",
            "1.0.4.0",
            "1.0.16.0",
            "2.26.200.1",
            "103.138.210.7",
            "104.16.0.1",
            "223.255.254.255",
            "255.255.255.255",
            "::",
            "2001::",
            "2001:200:1b9::1",
            "2001:200:1ba::",
            "2606:4700:4700::1111",
            "2c0f:fff0:ffff:ffff:ffff:ffff:ffff:ffff",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

    @TempDir
    Path temp;

    private Path copy;

    @BeforeEach
    void copyFixture() throws IOException, URISyntaxException {
        Path fixture = Path.of(
                        AsnTableCacheTest.class.getResource("/asn/VERSION").toURI())
                .getParent();
        for (String name : List.of(AsnTable.IPV4_FILE, AsnTable.IPV6_FILE, AsnTable.VERSION_FILE)) {
            Files.copy(fixture.resolve(name), temp.resolve(name));
        }
        copy = temp.resolve(AsnTableCache.FILE);
    }

    private static List<Optional<AsnRecord>> answers(AsnTable table) {
        return PROBES.stream()
                .map(p -> table.lookup(InetAddresses.forString(p)))
                .toList();
    }

    private static Optional<Long> asnOf(AsnTable table, String address) {
        return table.lookup(InetAddresses.forString(address)).map(AsnRecord::asn);
    }

    /**
     * Puts in the copy's place one made from the CSV files as they are, but holding the table of those files edited
     * as {@code edit} says: what a load answers then tells whether it read the copy or the files.
     */
    private void plantCopyOfEdited(UnaryOperator<String> edit) throws IOException {
        Path other = Files.createDirectories(temp.resolve("edited"));
        for (String name : List.of(AsnTable.IPV4_FILE, AsnTable.IPV6_FILE, AsnTable.VERSION_FILE)) {
            Files.copy(temp.resolve(name), other.resolve(name));
        }
        Path ipv4 = other.resolve(AsnTable.IPV4_FILE);
        Files.writeString(ipv4, edit.apply(Files.readString(ipv4)));
        AsnTableCache.write(temp, currentSource(), AsnTable.load(other).arrays());
    }

    private String currentSource() throws IOException {
        return AsnTableCache.source(
                temp, Files.readString(temp.resolve(AsnTable.VERSION_FILE)).strip());
    }

    /** The IPv4 file with {@code from} replaced by {@code to}, its modification time kept. */
    private void editKeepingTime(String from, String to) throws IOException {
        Path file = temp.resolve(AsnTable.IPV4_FILE);
        FileTime modified = Files.getLastModifiedTime(file);
        String before = Files.readString(file);
        assertThat(before).contains(from);
        Files.writeString(file, before.replace(from, to));
        Files.setLastModifiedTime(file, modified);
    }

    @Test
    void theFirstLoadKeepsACopyThatTheNextReadsWithTheSameAnswers() throws IOException {
        Files.setPosixFilePermissions(temp.resolve(AsnTable.IPV4_FILE), PosixFilePermissions.fromString("rw-r--r--"));
        AsnTable parsed = AsnTable.load(temp);
        assertThat(copy).isRegularFile();
        assertThat(AsnTableCache.read(temp, currentSource())).isPresent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
                .isEqualTo("rw-r--r--");

        AsnTable kept = AsnTable.load(temp);

        assertThat(answers(kept)).isEqualTo(answers(parsed)).contains(Optional.empty());
        assertThat(kept.size()).isEqualTo(parsed.size()).isEqualTo(11);
        assertThat(kept.version()).isEqualTo(parsed.version());
        assertThat(kept.date()).isEqualTo(parsed.date());
        assertThat(kept.lookup(InetAddresses.forString("2.26.200.1")))
                .map(AsnRecord::organisation)
                .contains("LLC \"SPUTNIK\"");
        // One record per network across both families, as when parsed.
        assertThat(kept.lookup(InetAddresses.forString("2606:4700::1111")).orElseThrow())
                .isSameAs(kept.lookup(InetAddresses.forString("1.0.0.1")).orElseThrow());
    }

    @Test
    void theCopyIsReadWhileTheCsvFilesStayAsTheyWere() throws IOException {
        AsnTable.load(temp);
        plantCopyOfEdited(csv -> csv.replace("13335", "13336"));

        assertThat(asnOf(AsnTable.load(temp), "1.0.0.1")).contains(13336L);
    }

    @ParameterizedTest(name = "modification time kept: {0}")
    @ValueSource(booleans = {false, true})
    void aChangedCsvFileIsParsedAgainAndCopiedAnew(boolean timeKept) throws IOException {
        AsnTable.load(temp);
        // The same size, and (in the second case) the same modification time: only the contents tell.
        if (timeKept) {
            editKeepingTime("13335", "64500");
        } else {
            Path ipv4 = temp.resolve(AsnTable.IPV4_FILE);
            Files.writeString(ipv4, Files.readString(ipv4).replace("13335", "64500"));
        }

        assertThat(asnOf(AsnTable.load(temp), "1.0.0.1")).contains(64500L);
        assertThat(AsnTableCache.read(temp, currentSource())).isPresent();
    }

    @Test
    void aNewVersionFileIsParsedAgain() throws IOException {
        AsnTable.load(temp);
        plantCopyOfEdited(csv -> csv.replace("13335", "13336"));
        Files.writeString(temp.resolve(AsnTable.VERSION_FILE), "2.3.2026070100\n");

        AsnTable table = AsnTable.load(temp);

        assertThat(asnOf(table, "1.0.0.1")).contains(13335L);
        assertThat(table.version()).isEqualTo("2.3.2026070100");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a flipped byte", "cut short", "cut in its header", "empty", "not a copy at all"})
    void aDamagedCopyIsIgnoredAndTheCsvFilesRead(String damage) throws IOException {
        AsnTable.load(temp);
        plantCopyOfEdited(csv -> csv.replace("13335", "13336"));
        byte[] bytes = Files.readAllBytes(copy);
        byte[] damaged =
                switch (damage) {
                    case "a flipped byte" -> {
                        byte[] flipped = bytes.clone();
                        flipped[flipped.length - 5] ^= 0x40;
                        yield flipped;
                    }
                    case "cut short" -> Arrays.copyOf(bytes, bytes.length - 9);
                    case "cut in its header" -> Arrays.copyOf(bytes, 10);
                    case "empty" -> new byte[0];
                    default -> "1.0.0.0,1.0.0.255,13335,Cloudflare\n".getBytes();
                };
        Files.write(copy, damaged);

        assertThat(asnOf(AsnTable.load(temp), "1.0.0.1")).contains(13335L);
        // ... and the damaged copy was replaced by a good one of what was parsed.
        assertThat(AsnTableCache.read(temp, currentSource())).isPresent();
    }

    @Test
    void aCopyThatCannotBeWrittenDoesNotStopTheLoad() throws IOException {
        // Running as root, a read-only directory would still be written; a folder in the copy's place cannot be
        // replaced by a file, whoever runs the test.
        Files.createDirectories(copy.resolve("in-the-way"));

        AsnTable first = AsnTable.load(temp);
        AsnTable second = AsnTable.load(temp);

        assertThat(asnOf(first, "1.0.0.1")).contains(13335L);
        assertThat(answers(second)).isEqualTo(answers(first));
        assertThat(copy).isDirectory();
        try (var left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp"));
        }
    }
}
