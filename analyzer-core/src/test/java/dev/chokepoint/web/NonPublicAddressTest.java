package dev.chokepoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NonPublicAddressTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, loopback",
        "::1, loopback",
        "10.1.2.3, private",
        "172.31.255.255, private",
        "192.168.0.1, private",
        "169.254.1.1, link-local",
        "fe80::1, link-local",
        "0.0.0.0, unspecified",
        "::, unspecified",
        "224.0.0.1, multicast",
        "ff02::1, multicast",
        "0.1.2.3, this-network",
        "100.64.0.1, shared (carrier-grade NAT)",
        "100.127.255.255, shared (carrier-grade NAT)",
        "192.0.2.0, documentation",
        "198.51.100.255, documentation",
        "203.0.113.7, documentation",
        "198.18.0.1, benchmarking",
        "198.19.255.255, benchmarking",
        "240.0.0.1, reserved",
        "255.255.255.255, reserved",
        "64:ff9b:1::1, local-use NAT64",
        "100::1, discard-only",
        "2001:2::1, benchmarking",
        "2001:db8::10, documentation",
        "3fff:fff::1, documentation",
        "fd12:3456::1, unique local",
    })
    void specialPurposeAddressesAreNamed(String address, String kind) {
        assertThat(WebCollector.nonPublicKind(InetAddresses.forString(address))).contains(kind);
    }

    @ParameterizedTest
    @CsvSource({
        // Just outside each block above, and ordinary public addresses.
        "1.1.1.1",
        "223.255.255.255",
        "100.63.255.255",
        "100.128.0.0",
        "192.0.1.255",
        "192.0.3.0",
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "64:ff9b::1", // the well-known NAT64 prefix is global
        "100:0:0:1::1",
        "2001:3::1",
        "2001:db9::1",
        "3fff:1000::1",
        "2606:4700::1111",
    })
    void otherAddressesArePublic(String address) {
        assertThat(WebCollector.nonPublicKind(InetAddresses.forString(address))).isEmpty();
    }
}
