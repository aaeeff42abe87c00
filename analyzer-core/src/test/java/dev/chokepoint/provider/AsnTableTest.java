package dev.chokepoint.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AsnTableTest {
    private static final AsnRecord CLOUDFLARE = new AsnRecord(13335, "Cloudflare, Inc.");
    private static final AsnRecord GTELECOM = new AsnRecord(38803, "Gtelecom Pty Ltd");
    private static final AsnRecord WIDE = new AsnRecord(2500, "WIDE Project");
    private static final String GOOD_IPV4_ROW = "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n";

    private static AsnTable table;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadFixture() throws IOException, URISyntaxException {
        table = AsnTable.load(
                Path.of(AsnTableTest.class.getResource("/asn/VERSION").toURI()).getParent());
    }

    private static InetAddress ip(String literal) {
        return InetAddresses.forString(literal);
    }

    private static Optional<Long> asnOf(AsnTable in, String literal) {
        return in.lookup(ip(literal)).map(AsnRecord::asn);
    }

    @ParameterizedTest(name = "{0} is in AS{1}")
    @CsvSource({
        "1.0.0.0, 13335",
        "1.0.0.128, 13335",
        "1.0.0.255, 13335",
        "1.0.1.0, 38803",
        "1.0.3.255, 38803",
        "1.0.16.0, 2519",
        "103.138.210.7, 4294967294",
        "223.255.254.255, 55415",
    })
    void ipv4AddressAtStartInsideOrEndOfARangeBelongsToThatRange(String address, long asn) {
        assertThat(asnOf(table, address)).contains(asn);
    }

    @ParameterizedTest(name = "{0} is unattributed")
    @CsvSource({
        "0.0.0.0",
        "0.255.255.255",
        "1.0.4.0",
        "1.0.15.255",
        "104.17.0.0",
        "223.255.255.0",
        "255.255.255.255",
    })
    void ipv4AddressInAGapOrOutsideAllRangesHasNoNetwork(String address) {
        assertThat(table.lookup(ip(address))).isEmpty();
    }

    @Test
    void adjacentRangesEachKeepTheirOwnNetwork() {
        assertThat(table.lookup(ip("1.0.0.255"))).contains(CLOUDFLARE);
        assertThat(table.lookup(ip("1.0.1.0"))).contains(GTELECOM);
    }

    @Test
    void quotedOrganisationKeepsItsCommaAndQuotes() {
        assertThat(table.lookup(ip("1.0.0.1"))).map(AsnRecord::organisation).contains("Cloudflare, Inc.");
        assertThat(table.lookup(ip("2.26.200.1"))).map(AsnRecord::organisation).contains("LLC \"SPUTNIK\"");
    }

    @Test
    void sameNetworkInSeveralRangesAndFamiliesSharesOneRecord() {
        AsnRecord first = table.lookup(ip("1.0.0.1")).orElseThrow();
        assertThat(table.lookup(ip("104.16.0.1")).orElseThrow()).isSameAs(first);
        assertThat(table.lookup(ip("2606:4700::1111")).orElseThrow()).isSameAs(first);
    }

    @ParameterizedTest(name = "{0} is in AS{1}")
    @CsvSource({
        "2001::, 6939",
        "2001:200::, 2500",
        "2001:200:1b9::1, 2500",
        "2001:200:1b9:ffff:ffff:ffff:ffff:ffff, 2500",
        "2606:4700:4700::1111, 13335",
        "2c0f:fff0:ffff:ffff:ffff:ffff:ffff:ffff, 37125",
    })
    void ipv6AddressAtStartInsideOrEndOfARangeBelongsToThatRange(String address, long asn) {
        assertThat(asnOf(table, address)).contains(asn);
    }

    @ParameterizedTest(name = "{0} is unattributed")
    @CsvSource({
        "::",
        "::1",
        "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:1::",
        "2001:200:1ba::",
        "2c0f:fff1::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    })
    void ipv6AddressInAGapOrOutsideAllRangesHasNoNetwork(String address) {
        assertThat(table.lookup(ip(address))).isEmpty();
    }

    @Test
    void rangesAcrossTheSignBitOfTheirHalvesCompareUnsigned() {
        AsnTable straddling = AsnTable.of(
                "test",
                List.of(
                        new AsnTable.Range(ip("127.255.255.0"), ip("128.0.0.255"), GTELECOM),
                        new AsnTable.Range(ip("7fff::"), ip("8000::ffff"), WIDE),
                        new AsnTable.Range(ip("9000::7fff:ffff:ffff:ffff"), ip("9000::8000:0:0:0"), WIDE)));

        assertThat(straddling.lookup(ip("128.0.0.1"))).contains(GTELECOM);
        assertThat(straddling.lookup(ip("128.0.1.0"))).isEmpty();
        assertThat(straddling.lookup(ip("8000::1"))).contains(WIDE);
        assertThat(straddling.lookup(ip("8000::1:0"))).isEmpty();
        assertThat(straddling.lookup(ip("9000::8000:0:0:0"))).contains(WIDE);
    }

    @Test
    void ipv4MappedIpv6AddressIsLookedUpAsIpv4() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 0, 1, 7};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(address).isInstanceOf(Inet6Address.class);
        assertThat(table.lookup(address)).contains(GTELECOM);
    }

    @Test
    void versionAndDateComeFromTheVersionFile() {
        assertThat(table.version()).isEqualTo("2.3.2026061719");
        assertThat(table.date()).contains(LocalDate.of(2026, 6, 17));
    }

    @ParameterizedTest(name = "version {0} has no date")
    @CsvSource({"1.0.0", "2.3.20260617", "2.3.2026139919", "2.3.2026063024", "none"})
    void versionWithoutAValidTimestampHasNoDate(String version) {
        assertThat(AsnTable.of(version, List.of()).date()).isEmpty();
    }

    @Test
    void sizeCountsRangesOfBothFamilies() {
        assertThat(table.size()).isEqualTo(11);
        assertThat(table.isEmpty()).isFalse();
    }

    @Test
    void missingDirectoryGivesAnEmptyTable() throws IOException {
        AsnTable missing = AsnTable.load(temp.resolve("does-not-exist"));

        assertThat(missing.isEmpty()).isTrue();
        assertThat(missing.size()).isZero();
        assertThat(missing.version()).isEqualTo("none");
        assertThat(missing.date()).isEmpty();
        assertThat(missing.lookup(ip("1.1.1.1"))).isEmpty();
    }

    @Test
    void directoryWithOnlyAVersionFileGivesAnEmptyTable() throws IOException {
        Files.writeString(temp.resolve("VERSION"), "2.3.2026061719\n");

        assertThat(AsnTable.load(temp).version()).isEqualTo("none");
    }

    @Test
    void oneFamilyMayBeAbsentAndTheVersionFileToo() throws IOException {
        Files.writeString(temp.resolve("asn-ipv4.csv"), GOOD_IPV4_ROW);

        AsnTable ipv4Only = AsnTable.load(temp);

        assertThat(ipv4Only.version()).isEqualTo("unknown");
        assertThat(ipv4Only.lookup(ip("1.0.0.1"))).contains(CLOUDFLARE);
        assertThat(ipv4Only.lookup(ip("2606:4700::1"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "x,1.0.1.255,1,Bad | asn-ipv4.csv:2: start address 'x' is not an IPv4 address",
                "1.0.1.0,2001::,1,Bad | asn-ipv4.csv:2: end address '2001::' is not an IPv4 address",
                "1.0.1.0,1.0.1.255,AS1,Bad | asn-ipv4.csv:2: AS number 'AS1' is not a number",
                "1.0.1.0,1.0.1.255,4294967296,Bad | asn-ipv4.csv:2: AS number '4294967296' is outside 0 to 4294967295",
                "1.0.1.0,1.0.1.255,1 | asn-ipv4.csv:2: expected 4 columns",
                "1.0.1.255,1.0.1.0,1,Bad | asn-ipv4.csv:2: start address 1.0.1.255 is after end address 1.0.1.0",
                "0.0.0.0,0.0.0.255,1,Bad | asn-ipv4.csv:2: start address 0.0.0.0 is below the previous row's 1.0.0.0",
                "1.0.1.0,1.0.1.255,1,\"Bad | asn-ipv4.csv:2: unreadable CSV",
            })
    void malformedIpv4RowIsReportedWithFileAndLine(String row, String message) throws IOException {
        Files.writeString(temp.resolve("asn-ipv4.csv"), GOOD_IPV4_ROW + row + "\n" + GOOD_IPV4_ROW);

        assertThatThrownBy(() -> AsnTable.load(temp))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void malformedIpv6RowIsReportedWithFileAndLineCountingBlankLines() throws IOException {
        Files.writeString(temp.resolve("asn-ipv6.csv"), "2001::,2001::ff,6939,HE\n\n1.0.0.0,1.0.0.255,1,Bad\n");

        assertThatThrownBy(() -> AsnTable.load(temp))
                .isInstanceOf(IOException.class)
                .hasMessage("asn-ipv6.csv:3: start address '1.0.0.0' is not an IPv6 address");
    }

    @Test
    void invalidUtf8IsReportedAsSuch() throws IOException {
        byte[] latin1 = "1.0.0.0,1.0.0.255,1,Telef\u00f3nica\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(temp.resolve("asn-ipv4.csv"), latin1);

        assertThatThrownBy(() -> AsnTable.load(temp))
                .isInstanceOf(IOException.class)
                .hasMessage("asn-ipv4.csv:1: not valid UTF-8");
    }

    @Test
    void partlyOverlappingRangesGiveTheSharedAddressesToTheLaterRow() {
        // The published IPv4 file has one such pair: 214.95.0.0-215.0.255.255 and 215.0.0.0-215.1.3.255.
        AsnRecord dod = new AsnRecord(749, "DoD");
        AsnRecord nic = new AsnRecord(721, "NIC");
        AsnTable overlapping = AsnTable.of(
                "test",
                List.of(
                        new AsnTable.Range(ip("214.95.0.0"), ip("215.0.255.255"), dod),
                        new AsnTable.Range(ip("215.0.0.0"), ip("215.1.3.255"), nic)));

        assertThat(overlapping.lookup(ip("214.255.255.255"))).contains(dod);
        assertThat(overlapping.lookup(ip("215.0.0.0"))).contains(nic);
        assertThat(overlapping.lookup(ip("215.0.255.255"))).contains(nic);
        assertThat(overlapping.lookup(ip("215.1.3.255"))).contains(nic);
        assertThat(overlapping.lookup(ip("215.1.4.0"))).isEmpty();
        assertThat(overlapping.size()).isEqualTo(2);
    }

    @Test
    void nestedRangeShadowsItsOuterRangeWhichResumesAfterIt() {
        AsnRecord outer = new AsnRecord(1, "Outer");
        AsnRecord inner = new AsnRecord(2, "Inner");
        AsnRecord innermost = new AsnRecord(3, "Innermost");
        AsnTable nested = AsnTable.of(
                "test",
                List.of(
                        new AsnTable.Range(ip("2001:db8::"), ip("2001:db8::ffff"), outer),
                        new AsnTable.Range(ip("2001:db8::100"), ip("2001:db8::1ff"), inner),
                        new AsnTable.Range(ip("2001:db8::180"), ip("2001:db8::18f"), innermost)));

        assertThat(nested.lookup(ip("2001:db8::ff"))).contains(outer);
        assertThat(nested.lookup(ip("2001:db8::100"))).contains(inner);
        assertThat(nested.lookup(ip("2001:db8::17f"))).contains(inner);
        assertThat(nested.lookup(ip("2001:db8::185"))).contains(innermost);
        assertThat(nested.lookup(ip("2001:db8::190"))).contains(inner);
        assertThat(nested.lookup(ip("2001:db8::200"))).contains(outer);
        assertThat(nested.lookup(ip("2001:db8::ffff"))).contains(outer);
        assertThat(nested.size()).isEqualTo(5);
    }

    @Test
    void rangeStartingWhereAnotherStartsReplacesItThere() {
        AsnTable replaced = AsnTable.of(
                "test",
                List.of(
                        new AsnTable.Range(ip("10.0.0.0"), ip("10.0.0.255"), GTELECOM),
                        new AsnTable.Range(ip("10.0.0.0"), ip("10.0.0.127"), WIDE)));

        assertThat(replaced.lookup(ip("10.0.0.127"))).contains(WIDE);
        assertThat(replaced.lookup(ip("10.0.0.128"))).contains(GTELECOM);
    }

    @Test
    void rangesReachingTheTopOfTheAddressSpaceDoNotWrap() {
        AsnTable top = AsnTable.of(
                "test",
                List.of(
                        new AsnTable.Range(ip("255.0.0.0"), ip("255.255.255.255"), GTELECOM),
                        new AsnTable.Range(ip("255.255.255.0"), ip("255.255.255.255"), WIDE),
                        new AsnTable.Range(ip("ffff::"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), WIDE)));

        assertThat(top.lookup(ip("255.255.254.255"))).contains(GTELECOM);
        assertThat(top.lookup(ip("255.255.255.255"))).contains(WIDE);
        assertThat(top.lookup(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).contains(WIDE);
        assertThat(top.lookup(ip("0.0.0.0"))).isEmpty();
        assertThat(top.size()).isEqualTo(3);
    }

    @Test
    void rangeMixingAddressFamiliesIsRejected() {
        List<AsnTable.Range> mixed = List.of(new AsnTable.Range(ip("1.0.0.0"), ip("2001::"), WIDE));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> AsnTable.of("test", mixed))
                .withMessageStartingWith("range 0: ");
    }

    @Test
    void fetchedTableLoadsAndAttributesAWellKnownAddress() throws IOException {
        // Guards the parser against the real data whenever datasets/asn/fetch has run; skipped on a bare clone.
        Path fetched = Path.of("..", "datasets", "asn");
        assumeTrue(Files.isRegularFile(fetched.resolve("VERSION")), "datasets/asn not fetched");

        AsnTable real = AsnTable.load(fetched);

        assertThat(real.size()).isGreaterThan(100_000);
        assertThat(real.date()).isPresent();
        assertThat(asnOf(real, "1.1.1.1")).contains(13335L);
        assertThat(asnOf(real, "2606:4700:4700::1111")).contains(13335L);
    }
}
