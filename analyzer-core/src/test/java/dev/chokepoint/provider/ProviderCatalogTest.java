package dev.chokepoint.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderCatalogTest {
    private static final Path REAL_DATASET = Path.of("..", "datasets", "providers");

    private static final String ORG_HEADER = "id,name,domains,source\n";
    private static final String PATTERN_HEADER = "provider,service,kind,pattern,product,source\n";
    private static final String ORGS = ORG_HEADER
            + "cloudflare,Cloudflare,cloudflare.com,https://www.cloudflare.com/\n"
            + "example,Example Networks,example.net example.org,https://example.net/\n";
    private static final String PATTERNS = PATTERN_HEADER
            + "cloudflare,dns,ns,ns.cloudflare.com,Cloudflare DNS,https://developers.cloudflare.com/dns/\n";

    private static ProviderCatalog real;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadRealDataset() {
        real = ProviderCatalog.load(REAL_DATASET);
    }

    private Path write(String organisations, String patterns) throws IOException {
        Path dir = Files.createTempDirectory(temp, "catalog");
        Files.writeString(dir.resolve(ProviderCatalog.ORGANISATIONS_FILE), organisations, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(ProviderCatalog.PATTERNS_FILE), patterns, StandardCharsets.UTF_8);
        return dir;
    }

    private ProviderCatalog load(String organisations, String patterns) throws IOException {
        return ProviderCatalog.load(write(organisations, patterns));
    }

    private void assertRejected(String organisations, String patterns, String location, String reason)
            throws IOException {
        Path dir = write(organisations, patterns);
        assertThatThrownBy(() -> ProviderCatalog.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(location + ": ")
                .hasMessageContaining(reason);
    }

    private static String providerOf(Optional<Pattern> pattern) {
        return pattern.map(p -> p.provider().id()).orElse("none");
    }

    // --- the real dataset ---

    @Test
    void realDatasetLoadsWithAtLeastFortyOrganisationsAndSomePatterns() {
        assertThat(real.organisationCount()).isGreaterThanOrEqualTo(40);
        assertThat(real.patternCount()).isGreaterThan(0);
        assertThat(real.version()).matches("[0-9a-f]{12}");
    }

    @Test
    void realDatasetLoadsEveryPatternRow() throws IOException {
        long rows =
                Files.readAllLines(REAL_DATASET.resolve(ProviderCatalog.PATTERNS_FILE), StandardCharsets.UTF_8).stream()
                                .filter(line -> !line.isBlank())
                                .count()
                        - 1;

        assertThat(real.patternCount()).isEqualTo(rows);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "cloudflare",
                "aws",
                "akamai",
                "google",
                "microsoft",
                "fastly",
                "ns1",
                "oracle",
                "vercara",
                "godaddy",
                "namecheap",
                "dnsimple",
                "dnsmadeeasy",
                "hurricane-electric",
                "gcore",
                "bunny",
                "imperva",
                "sucuri",
                "vercel",
                "netlify",
                "github",
                "salesforce",
                "digitalocean",
                "ovh",
                "hetzner",
                "alibaba",
                "tencent",
                "yandex",
                "proofpoint",
                "mimecast",
                "zoho",
                "sendgrid",
                "mailgun",
                "lets-encrypt",
                "digicert",
                "sectigo",
                "globalsign",
            })
    void realDatasetHasMajorOrganisation(String id) {
        assertThat(real.organisation(id)).hasValueSatisfying(o -> {
            assertThat(o.id()).isEqualTo(id);
            assertThat(o.name()).isNotBlank();
            assertThat(o.source()).startsWith("https://");
        });
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "ns, ada.ns.cloudflare.com, cloudflare:dns",
        "ns, ns-1.awsdns-07.co.uk, aws:dns",
        "ns, ns-2048.awsdns-64.com., aws:dns",
        "ns, ns1.p01.dynect.net, oracle:dns",
        "ns, pdns196.ultradns.net, vercara:dns",
        "ns, dns1.p01.nsone.net, ns1:dns",
        "ns, ns1.linode.com, akamai:dns",
        "ns, ns1.dnsimple.com, dnsimple:dns",
        "ns, ns2.he.net, hurricane-electric:dns",
        "ns, ns01.domaincontrol.com, godaddy:dns",
        "ns, dns1.registrar-servers.com, namecheap:dns",
        "ns, a1-64.akam.net, akamai:dns",
        "cname, d111111abcdef8.cloudfront.net, aws:cdn",
        "cname, my-lb-1234.us-east-1.elb.amazonaws.com, aws:hosting",
        "cname, www.example.com.edgekey.net, akamai:cdn",
        "cname, example.herokudns.com, salesforce:hosting",
        "cname, cname.vercel-dns.com, vercel:hosting",
        "cname, octocat.github.io, github:hosting",
        "mx, alt1.aspmx.l.google.com, google:mail",
        "mx, example-com.mail.protection.outlook.com, microsoft:mail",
        "mx, mxa-00123.gslb.pphosted.com, proofpoint:mail",
        "spf, _spf.google.com, google:sending",
        "spf, sendgrid.net, sendgrid:sending",
        "spf, mailgun.org, mailgun:sending",
        "caa, letsencrypt.org, lets-encrypt:ca",
        "caa, digicert.com, digicert:ca",
        "caa, sectigo.com, sectigo:ca",
        "caa, globalsign.com, globalsign:ca",
        "caa, pki.goog, google:ca",
    })
    void realDatasetAttributesWellKnownHosts(String kind, String host, String provider) {
        assertThat(providerOf(real.match(PatternKind.fromId(kind).orElseThrow(), host)))
                .isEqualTo(provider);
    }

    @Test
    void realDatasetPatternsCarryTheirFileLocationAndSource() throws IOException {
        List<String> lines =
                Files.readAllLines(REAL_DATASET.resolve(ProviderCatalog.PATTERNS_FILE), StandardCharsets.UTF_8);
        int line = 1
                + lines.indexOf(lines.stream()
                        .filter(l -> l.startsWith("cloudflare,dns,ns,ns.cloudflare.com,"))
                        .findFirst()
                        .orElseThrow());

        Pattern pattern = real.match(PatternKind.NS, "ada.ns.cloudflare.com").orElseThrow();

        assertThat(pattern.location()).isEqualTo("patterns.csv:" + line);
        assertThat(pattern.source()).startsWith("https://");
        assertThat(pattern.describe())
                .isEqualTo("ns suffix ns.cloudflare.com [Cloudflare DNS] (patterns.csv:" + line + ")");
    }

    @Test
    void realDatasetLongerSuffixWinsOverTheProvidersBroaderOne() {
        Pattern pattern = real.match(PatternKind.CNAME, "my-lb-1234.us-east-1.elb.amazonaws.com")
                .orElseThrow();

        assertThat(pattern.value()).isEqualTo("elb.amazonaws.com");
        assertThat(pattern.product()).isEqualTo("Elastic Load Balancing");
    }

    @Test
    void asnLookupFindsTheProviderService() {
        Pattern pattern = real.matchAsn(13335).orElseThrow();

        assertThat(pattern.provider().id()).isEqualTo("cloudflare:cdn");
        assertThat(pattern.provider().known()).isTrue();
        assertThat(pattern.describe()).startsWith("asn AS13335 (patterns.csv:");
    }

    @Test
    void asnNotInTheDatasetHasNoPattern() {
        assertThat(real.matchAsn(64500)).isEmpty();
    }

    @ParameterizedTest(name = "{0} belongs to {1}")
    @CsvSource({
        "youtube.com, google",
        "google.com, google",
        "linode.com, akamai",
        "heroku.com, salesforce",
        "he.net, hurricane-electric",
        "cloudflare.com, cloudflare",
    })
    void ownerOfFindsTheOrganisationOfARegistrableDomain(String domain, String organisation) {
        assertThat(real.ownerOf(domain)).map(Organisation::id).contains(organisation);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.com", "github.io", "www.google.com", "ns.cloudflare.com"})
    void ownerOfIsEmptyForDomainsThatAreNoOrganisationsOwnRegistrableDomain(String domain) {
        assertThat(real.ownerOf(domain)).isEmpty();
    }

    // --- matching rules, on fixtures ---

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ns.cloudflare.com, cloudflare:dns",
        "ada.ns.cloudflare.com, cloudflare:dns",
        "a.b.ns.cloudflare.com, cloudflare:dns",
        "xns.cloudflare.com, none",
        "ns.cloudflare.com.evil.net, none",
        "cloudflare.com, none",
        "ns-cloudflare.com, none",
    })
    void suffixMatchesOnWholeLabelsOnly(String host, String provider) throws IOException {
        ProviderCatalog catalog = load(ORGS, PATTERNS);

        assertThat(providerOf(catalog.match(PatternKind.NS, host))).isEqualTo(provider);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ADA.NS.CLOUDFLARE.COM", "ada.ns.cloudflare.com.", "Ada.Ns.Cloudflare.Com."})
    void caseAndTrailingDotAreIgnoredWhenMatching(String host) throws IOException {
        ProviderCatalog catalog = load(ORGS, PATTERNS);

        assertThat(providerOf(catalog.match(PatternKind.NS, host))).isEqualTo("cloudflare:dns");
    }

    @Test
    void patternOnlyMatchesEvidenceOfItsKind() throws IOException {
        ProviderCatalog catalog = load(ORGS, PATTERNS);

        assertThat(catalog.match(PatternKind.CNAME, "ada.ns.cloudflare.com")).isEmpty();
        assertThat(catalog.match(PatternKind.MX, "ada.ns.cloudflare.com")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "www.example.net, example:hosting",
        "example.net, example:hosting",
        "cdn.example.net, example:cdn",
        "eu.cdn.example.net, example:cdn",
        "xcdn.example.net, example:hosting",
    })
    void longestMatchingSuffixWins(String host, String provider) throws IOException {
        String patterns = PATTERNS
                + "example,cdn,cname,cdn.example.net,,https://example.net/cdn\n"
                + "example,hosting,cname,example.net,,https://example.net/hosting\n";
        ProviderCatalog catalog = load(ORGS, patterns);

        assertThat(providerOf(catalog.match(PatternKind.CNAME, host))).isEqualTo(provider);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "www.example.org, example:hosting",
        "a.edge12.example.org, example:cdn",
        "x.pop.edge7.example.org, example:mail",
        "y.edge7.example.org, example:cdn",
    })
    void longestSuffixWinsBetweenWildcardAndPlainPatterns(String host, String provider) throws IOException {
        String patterns = PATTERNS
                + "example,cdn,cname,edge*.example.org,,https://example.net/cdn\n"
                + "example,hosting,cname,example.org,,https://example.net/hosting\n"
                + "example,mail,cname,pop.edge7.example.org,,https://example.net/mail\n";
        ProviderCatalog catalog = load(ORGS, patterns);

        assertThat(providerOf(catalog.match(PatternKind.CNAME, host))).isEqualTo(provider);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ns-1.awsdns-07.co.uk, aws:dns",
        "ns-1.awsdns-07.com, aws:dns",
        "awsdns-0.com, aws:dns",
        "ns-1.awsdns-123456.com, aws:dns",
        "awsdns-x7.com, none",
        "awsdns-7x.com, none",
        "awsdns-.com, none",
        "xawsdns-07.com, none",
        "awsdns-07.com.evil.net, none",
        "ns-1.awsdns-07.co.uk.evil.net, none",
        "ns-1.awsdns-07.net, none",
    })
    void wildcardStandsForDigitsInsideOneLabel(String host, String provider) throws IOException {
        String orgs = ORGS + "aws,Amazon Web Services,amazon.com,https://aws.amazon.com/\n";
        String patterns = PATTERNS
                + "aws,dns,ns,awsdns-*.co.uk,Route 53,https://docs.aws.amazon.com/route53\n"
                + "aws,dns,ns,awsdns-*.com,Route 53,https://docs.aws.amazon.com/route53\n";
        ProviderCatalog catalog = load(orgs, patterns);

        assertThat(providerOf(catalog.match(PatternKind.NS, host))).isEqualTo(provider);
    }

    @Test
    void samePatternMayAppearOnceForEachKind() throws IOException {
        String patterns = PATTERNS + "cloudflare,cdn,cname,ns.cloudflare.com,,https://example.net/\n";
        ProviderCatalog catalog = load(ORGS, patterns);

        assertThat(providerOf(catalog.match(PatternKind.NS, "a.ns.cloudflare.com")))
                .isEqualTo("cloudflare:dns");
        assertThat(providerOf(catalog.match(PatternKind.CNAME, "a.ns.cloudflare.com")))
                .isEqualTo("cloudflare:cdn");
        assertThat(catalog.patternCount()).isEqualTo(2);
    }

    @Test
    void ownerOfUsesTheOrganisationsDomains() throws IOException {
        ProviderCatalog catalog = load(ORGS, PATTERNS);

        assertThat(catalog.ownerOf("example.org")).map(Organisation::id).contains("example");
        assertThat(catalog.ownerOf("cloudflare.com")).map(Organisation::id).contains("cloudflare");
        assertThat(catalog.ownerOf("example.com")).isEmpty();
    }

    @Test
    void blankLinesAreIgnored() throws IOException {
        ProviderCatalog catalog =
                load(ORGS + "\n", PATTERN_HEADER + "\n" + PATTERNS.substring(PATTERN_HEADER.length()));

        assertThat(catalog.organisationCount()).isEqualTo(2);
        assertThat(catalog.patternCount()).isEqualTo(1);
    }

    @Test
    void emptyCatalogMatchesNothing() {
        ProviderCatalog catalog = ProviderCatalog.empty();

        assertThat(catalog.match(PatternKind.NS, "ada.ns.cloudflare.com")).isEmpty();
        assertThat(catalog.matchAsn(13335)).isEmpty();
        assertThat(catalog.organisationCount()).isZero();
        assertThat(catalog.patternCount()).isZero();
    }

    // --- validation ---

    @Test
    void wrongOrganisationsHeaderIsRejected() throws IOException {
        String orgs = "id,name,domain,source\ncloudflare,Cloudflare,cloudflare.com,https://www.cloudflare.com/\n";

        assertRejected(orgs, PATTERNS, "organisations.csv:1", "header must be id,name,domains,source");
    }

    @Test
    void wrongPatternsHeaderIsRejected() throws IOException {
        String patterns = "provider,service,kind,pattern,source,product\n";

        assertRejected(ORGS, patterns, "patterns.csv:1", "header must be provider,service,kind,pattern,product,source");
    }

    @Test
    void rowWithWrongNumberOfFieldsIsRejected() throws IOException {
        String patterns = PATTERNS + "cloudflare,cdn,cname,cdn.cloudflare.net,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "expected 6 fields, found 5");
    }

    @Test
    void unknownProviderIdIsRejected() throws IOException {
        String patterns = PATTERNS + "nobody,dns,ns,ns.nobody.net,,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "provider 'nobody' is not in organisations.csv");
    }

    @Test
    void unknownServiceIsRejected() throws IOException {
        String patterns = PATTERNS + "cloudflare,email,mx,mx.cloudflare.net,,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "unknown service 'email'");
    }

    @Test
    void unknownKindIsRejected() throws IOException {
        String patterns = PATTERNS + "cloudflare,mail,txt,mx.cloudflare.net,,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "unknown kind 'txt'");
    }

    @ParameterizedTest(name = "source ''{0}''")
    @ValueSource(strings = {"", "example.net/docs", "ftp://example.net/", "see docs"})
    void patternWithoutAnHttpSourceIsRejected(String source) throws IOException {
        String patterns = PATTERNS + "cloudflare,cdn,cname,cdn.cloudflare.net,," + source + "\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "every entry needs a source URL");
    }

    @Test
    void organisationWithoutSourceIsRejected() throws IOException {
        String orgs = ORGS + "nosource,No Source,nosource.net,\n";

        assertRejected(orgs, PATTERNS, "organisations.csv:4", "every entry needs a source URL");
    }

    @Test
    void emptyPatternIsRejected() throws IOException {
        String patterns = PATTERNS + "cloudflare,cdn,cname,,,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "empty pattern");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"13335", "as13335", "AS", "AS-1", "AS13335x", "AS 13335", "ASN13335", "AS12345678901"})
    void malformedAsnIsRejected(String asn) throws IOException {
        String patterns = PATTERNS + "cloudflare,cdn,asn," + asn + ",,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "asn pattern '" + asn + "' must look like AS13335");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AS4294967296", "AS9999999999"})
    void asnAbove32BitsIsRejected(String asn) throws IOException {
        // AS numbers are unsigned 32-bit (AsnRecord.MAX_ASN); a larger one can never match an address.
        String patterns = PATTERNS + "cloudflare,cdn,asn," + asn + ",,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", asn);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {"NS.cloudflare.com", "ns.cloudflare.com.", "ns..cloudflare.com", "-ns.cloudflare.com", "c.*"})
    void patternThatIsNotALowerCaseDomainSuffixIsRejected(String value) throws IOException {
        String patterns = PATTERNS + "cloudflare,cdn,cname," + value + ",,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:3", "is not a lower-case domain suffix");
    }

    @Test
    void duplicateKindAndPatternIsRejectedEvenForAnotherService() throws IOException {
        String patterns = PATTERNS + "example,hosting,ns,ns.cloudflare.com,,https://example.net/\n";

        assertRejected(
                ORGS,
                patterns,
                "patterns.csv:3",
                "ns pattern 'ns.cloudflare.com' is already defined at patterns.csv:2");
    }

    @Test
    void duplicateWildcardPatternIsRejected() throws IOException {
        String patterns = PATTERNS
                + "example,dns,ns,ns*.example.net,,https://example.net/\n"
                + "example,hosting,ns,ns*.example.net,,https://example.net/\n";

        assertRejected(
                ORGS, patterns, "patterns.csv:4", "ns pattern 'ns*.example.net' is already defined at patterns.csv:3");
    }

    @Test
    void duplicateAsnIsRejected() throws IOException {
        String patterns = PATTERNS
                + "cloudflare,cdn,asn,AS13335,,https://example.net/\n"
                + "example,hosting,asn,AS13335,,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:4", "AS13335 is already attributed at patterns.csv:3");
    }

    @Test
    void duplicateOrganisationIdIsRejected() throws IOException {
        String orgs = ORGS + "cloudflare,Cloudflare again,cloudflare.net,https://www.cloudflare.com/\n";

        assertRejected(orgs, PATTERNS, "organisations.csv:4", "organisation 'cloudflare' is defined twice");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Cloudflare", "CLOUDFLARE-2", "cloud_flare", "-cloudflare", "cloud flare"})
    void malformedOrganisationIdIsRejected(String id) throws IOException {
        String orgs = ORGS + id + ",Cloudflare,cloudflare.net,https://www.cloudflare.com/\n";

        assertRejected(orgs, PATTERNS, "organisations.csv:4", "organisation id '" + id + "' must be lower-case");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Example.com", "*.example.com", "example..com", "example.com.", "exa!mple.com"})
    void badDomainInOrganisationDomainsIsRejected(String domain) throws IOException {
        String orgs = ORGS + "bad,Bad,good.com " + domain + ",https://example.net/\n";

        assertRejected(orgs, PATTERNS, "organisations.csv:4", "'" + domain + "' in domains is not a lower-case domain");
    }

    @Test
    void lineNumbersCountBlankLines() throws IOException {
        String patterns = PATTERNS + "\n\nnobody,dns,ns,ns.nobody.net,,https://example.net/\n";

        assertRejected(ORGS, patterns, "patterns.csv:5", "provider 'nobody'");
    }

    @Test
    void lastLineWithoutNewlineIsNamedCorrectly() throws IOException {
        String patterns = PATTERNS + "nobody,dns,ns,ns.nobody.net,,https://example.net/";

        assertRejected(ORGS, patterns, "patterns.csv:3", "provider 'nobody'");
    }

    @Test
    void missingPatternsFileIsRejected() throws IOException {
        Path dir = write(ORGS, PATTERNS);
        Files.delete(dir.resolve(ProviderCatalog.PATTERNS_FILE));

        assertThatThrownBy(() -> ProviderCatalog.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(ProviderCatalog.PATTERNS_FILE)
                .hasMessageContaining("no such dataset file");
    }

    @Test
    void missingOrganisationsFileIsRejected() throws IOException {
        Path dir = write(ORGS, PATTERNS);
        Files.delete(dir.resolve(ProviderCatalog.ORGANISATIONS_FILE));

        assertThatThrownBy(() -> ProviderCatalog.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(ProviderCatalog.ORGANISATIONS_FILE)
                .hasMessageContaining("no such dataset file");
    }

    // --- version ---

    @Test
    void versionChangesWhenAFileChanges() throws IOException {
        Path dir = write(ORGS, PATTERNS);
        String before = ProviderCatalog.load(dir).version();

        Files.writeString(
                dir.resolve(ProviderCatalog.PATTERNS_FILE),
                PATTERNS + "cloudflare,cdn,asn,AS13335,,https://example.net/\n",
                StandardCharsets.UTF_8);
        String afterPatterns = ProviderCatalog.load(dir).version();

        Files.writeString(
                dir.resolve(ProviderCatalog.ORGANISATIONS_FILE),
                ORGS.replace("Example Networks", "Example Networks Ltd"),
                StandardCharsets.UTF_8);
        String afterOrganisations = ProviderCatalog.load(dir).version();

        assertThat(afterPatterns).isNotEqualTo(before);
        assertThat(afterOrganisations).isNotEqualTo(afterPatterns).isNotEqualTo(before);
    }

    @Test
    void versionIsTheSameForTheSameContent() throws IOException {
        String first = load(ORGS, PATTERNS).version();
        String second = load(ORGS, PATTERNS).version();

        assertThat(first).isEqualTo(second).matches("[0-9a-f]{12}");
    }
}
