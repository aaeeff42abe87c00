package dev.chokepoint.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNameTest {

    private static void assertRejected(String input, String reason) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("'" + input + "'")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidTargetException) e).input()).isEqualTo(input));
    }

    // --- normalisation ---

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Example.COM           | example.com",
                "WWW.EXAMPLE.ORG       | www.example.org",
                "example.com.          | example.com",
                "EXAMPLE.COM.          | example.com",
            })
    void uppercaseAndTrailingDotAreNormalised(String input, String expected) {
        assertThat(DomainName.parse(input).ascii()).isEqualTo(expected);
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(DomainName.parse("  \texample.com \n").ascii()).isEqualTo("example.com");
    }

    @ParameterizedTest(name = "{0} is reduced to its host")
    @ValueSource(
            strings = {
                "https://Example.COM/path?q#f",
                "http://user@example.com:8080/",
                "example.com/path",
                "HTTPS://example.com",
                "http://example.com.:443/x",
                "example.com?query",
                "example.com#fragment",
            })
    void urlIsReducedToItsHost(String input) {
        assertThat(DomainName.parse(input).ascii()).isEqualTo("example.com");
    }

    @Test
    void unicodeNameIsConvertedToAce() {
        DomainName name = DomainName.parse("bücher.example");

        assertThat(name.ascii()).isEqualTo("xn--bcher-kva.example");
        assertThat(name.unicode()).isEqualTo("bücher.example");
        assertThat(name.isInternationalised()).isTrue();
    }

    @Test
    void unicodeNameInUpperCaseIsFoldedBeforeConversion() {
        assertThat(DomainName.parse("BÜCHER.Example").ascii()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void unicodeHostInUrlIsConvertedToAce() {
        assertThat(DomainName.parse("https://bücher.example/katalog").ascii()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void aceNameStaysAsGivenAndIsRecognisedAsInternationalised() {
        DomainName name = DomainName.parse("xn--bcher-kva.example");

        assertThat(name.ascii()).isEqualTo("xn--bcher-kva.example");
        assertThat(name.unicode()).isEqualTo("bücher.example");
        assertThat(name.isInternationalised()).isTrue();
    }

    @Test
    void asciiNameIsNotInternationalisedAndItsUnicodeFormIsItself() {
        DomainName name = DomainName.parse("example.com");

        assertThat(name.unicode()).isEqualTo("example.com");
        assertThat(name.isInternationalised()).isFalse();
    }

    @Test
    void sharpSIsKeptAsInIdna2008NonTransitionalProcessing() {
        DomainName name = DomainName.parse("faß.de");

        assertThat(name.ascii()).isEqualTo("xn--fa-hia.de").isNotEqualTo("fass.de");
        assertThat(name.unicode()).isEqualTo("faß.de");
    }

    @Test
    void canonicalConstructorRejectsNonCanonicalText() {
        assertThatThrownBy(() -> new DomainName("Example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DomainName("example.com.")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DomainName("")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- rejection ---

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", " ", "\t\n "})
    void emptyOrBlankInputIsRejected(String input) {
        assertRejected(input, "empty name");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a..b.com", ".example.com", "example..com."})
    void emptyLabelIsRejected(String input) {
        assertRejected(input, "empty label");
    }

    @Test
    void labelLongerThan63CharactersIsRejected() {
        String input = "a".repeat(64) + ".com";

        assertRejected(input, "longer than 63 characters");
    }

    @Test
    void labelOf63CharactersIsAccepted() {
        String input = "a".repeat(63) + ".com";

        assertThat(DomainName.parse(input).ascii()).isEqualTo(input);
    }

    @Test
    void nameLongerThan253CharactersIsRejected() {
        // 4 labels of 62 + 3 dots + ".com" = 255 characters, every label valid.
        String label = "a".repeat(62);
        String input = String.join(".", label, label, label, label) + ".com";
        assertThat(input).hasSize(255);

        assertRejected(input, "name longer than 253 characters");
    }

    @Test
    void nameOf253CharactersIsAccepted() {
        String label = "a".repeat(62);
        String input = String.join(".", label, label, label, "a".repeat(60)) + ".com";
        assertThat(input).hasSize(253);

        assertThat(DomainName.parse(input).ascii()).isEqualTo(input);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exa mple.com", "foo_bar.com", "ex!ample.com", "exa\"mple.com", "exam*ple.com"})
    void characterOtherThanLetterDigitOrHyphenIsRejected(String input) {
        assertRejected(input, "not allowed in host names");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-example.com", "example-.com", "www.-example.com", "example.com-"})
    void labelStartingOrEndingWithHyphenIsRejected(String input) {
        assertRejected(input, "starts or ends with a hyphen");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "192.0.2.1",
                "192.0.2.1.",
                "2001:db8::1",
                "::1",
                "[2001:db8::1]",
                "http://[2001:db8::1]/",
                "https://[2001:db8::1]:8443/path",
                "http://192.0.2.1:8080/",
            })
    void ipAddressIsRejected(String input) {
        assertRejected(input, "an IP address is not a domain name");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ftp://example.com", "mailto://user@example.com", "file:///etc/hosts"})
    void urlWithSchemeOtherThanHttpIsRejected(String input) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("'" + input + "'")
                .hasMessageContaining("only http and https URLs are accepted");
    }

    @Test
    void ftpUrlRejectionNamesTheScheme() {
        assertRejected("ftp://example.com", "not ftp");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost", "intranet", "localhost."})
    void singleLabelIsRejected(String input) {
        assertRejected(input, "at least two labels");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"co.uk", "github.io", "CO.UK.", "com.au", "herokuapp.com"})
    void publicSuffixIsRejected(String input) {
        assertRejected(input, "is a public suffix, not a site");
    }

    @Test
    void topLevelDomainAloneIsRejected() {
        // "com" is a public suffix too; as a single label it is rejected before the public suffix check.
        assertRejected("com", "at least two labels");
    }

    // --- registrable domain ---

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "www.example.co.uk, example.co.uk",
        "example.co.uk, example.co.uk",
        "a.b.c.example.com, example.com",
        "foo.github.io, foo.github.io",
        "www.foo.github.io, foo.github.io",
        "a.b.example, b.example",
        "b.example, b.example",
        "host.corp.internal, corp.internal",
    })
    void registrableDomainFollowsThePublicSuffixListIncludingItsPrivateSection(String name, String registrable) {
        assertThat(DomainName.parse(name).registrable().ascii()).isEqualTo(registrable);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ns1.example.com., example.com",
        "NS1.Example.COM., example.com",
        "ada.ns.cloudflare.com, cloudflare.com",
        "mx.example.co.uk., example.co.uk",
        "foo.github.io., foo.github.io",
    })
    void registrableOfAcceptsHostNamesWithTrailingDotAndAnyCase(String host, String registrable) {
        assertThat(DomainName.registrableOf(host)).contains(registrable);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"com", "co.uk.", "github.io", "a.b.example", "not a name", ""})
    void registrableOfIsEmptyForPublicSuffixesUnlistedTldsAndInvalidNames(String host) {
        assertThat(DomainName.registrableOf(host)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ns1.example.co.uk., example.co.uk",
        "NS1.Example.COM, example.com",
        "foo.github.io, foo.github.io",
        "a.b.example, b.example",
        "ns1.dns.corp.internal., corp.internal",
        "localhost, localhost",
    })
    void organisationalDomainIsTheRegistrableDomainOrTheLastTwoLabels(String host, String expected) {
        assertThat(DomainName.organisationalDomainOf(host)).isEqualTo(expected);
    }

    // A leading underscore makes Guava call the name invalid; the owner must still come from the Public Suffix List,
    // not from a fallback to the last two labels (which would give co.uk).
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "_spf.example.co.uk, example.co.uk",
        "x._domainkey.example.co.uk, example.co.uk",
        "_spf.mail.example.com, example.com",
    })
    void organisationalDomainOfNameWithUnderscoreLabelFollowsThePublicSuffixList(String host, String expected) {
        assertThat(DomainName.organisationalDomainOf(host)).isEqualTo(expected);
    }

    // No top-level domain is all-numeric (RFC 3696 section 2), and browsers parse a host whose
    // last label is numeric as an IPv4 address (WHATWG URL), so these are not site names.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.2.3", "999.1.1.1", "1.1", "0x7f.0.0.1", "example.123"})
    void nameWithAnAllNumericTopLevelLabelIsRejected(String input) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("'" + input + "'");
    }

    @Test
    void isWithinComparesWholeLabels() {
        DomainName site = DomainName.parse("example.com");

        assertThat(DomainName.parse("www.example.com").isWithin(site)).isTrue();
        assertThat(site.isWithin(site)).isTrue();
        assertThat(DomainName.parse("badexample.com").isWithin(site)).isFalse();
    }
}
