package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IrisTest {
    @Test
    void segmentPercentEncodesEverythingButTheUnreservedCharacters() {
        assertThat(Iris.segment("2001:db8::1")).isEqualTo("2001%3Adb8%3A%3A1");
        assertThat(Iris.segment("a/b c?d#e")).isEqualTo("a%2Fb%20c%3Fd%23e");
        assertThat(Iris.segment("bücher")).isEqualTo("b%C3%BCcher");
        assertThat(Iris.segment("xn--bcher-kva.example_A~1")).isEqualTo("xn--bcher-kva.example_A~1");
    }

    @Test
    void irisFollowTheSchemeUnderTheBase() {
        assertThat(Iris.site("example.com")).isEqualTo("https://w3id.org/chokepoint/id/site/example.com");
        assertThat(Iris.address("2001:db8::1")).isEqualTo("https://w3id.org/chokepoint/id/address/2001%3Adb8%3A%3A1");
        assertThat(Iris.network(13335)).isEqualTo("https://w3id.org/chokepoint/id/network/AS13335");
        assertThat(Iris.provider("cloudflare", "dns"))
                .isEqualTo("https://w3id.org/chokepoint/id/provider/cloudflare/dns");
        assertThat(Iris.assessment("r1", "example.com"))
                .isEqualTo("https://w3id.org/chokepoint/id/run/r1/site/example.com");
    }

    @Test
    void hashedKeysAreStableAndTellDifferentInputsApart() {
        String finding = Iris.finding("r1", "example.com", "caa-missing", "low", "ca", "example.com", "No CAA.");

        assertThat(Iris.finding("r1", "example.com", "caa-missing", "low", "ca", "example.com", "No CAA."))
                .isEqualTo(finding);
        assertThat(finding).matches(".*/finding/caa-missing-[0-9a-f]{16}");
        assertThat(Iris.finding("r1", "example.com", "caa-missing", "low", "ca", "example.com", "No CAA!"))
                .isNotEqualTo(finding);
        assertThat(Iris.dependency("r1", "a.test", "x", "NEEDS", "yz"))
                .isNotEqualTo(Iris.dependency("r1", "a.test", "xy", "NEEDS", "z"));
    }
}
