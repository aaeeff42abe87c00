package dev.chokepoint.web;

import static dev.chokepoint.web.ResourceExtractorTest.fixture;
import static dev.chokepoint.web.ResourceExtractorTest.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.chokepoint.web.ResourceExtractor.Extraction;
import java.net.URI;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CssExtractorTest {

    private static final URI SHEET = URI.create("https://www.example.com/static/css/main.css");

    private static List<PageResource> extract(String fixture, boolean blocking) {
        return CssExtractor.extract(fixture(fixture), SHEET, blocking);
    }

    private static List<String> urls(List<PageResource> resources) {
        return resources.stream().map(r -> r.url().toString()).toList();
    }

    private static List<String> urls(List<PageResource> resources, ResourceKind kind) {
        return resources.stream()
                .filter(r -> r.kind() == kind)
                .map(r -> r.url().toString())
                .toList();
    }

    // --- @import ---

    @Test
    void importsInStringAndUrlFormResolveAgainstTheStylesheet() {
        List<PageResource> imports = extract("imports.css", true);

        assertThat(urls(imports, ResourceKind.CSS_IMPORT))
                .containsExactly(
                        "https://www.example.com/static/css/string-form.css",
                        "https://www.example.com/static/css/url-form.css",
                        "https://www.example.com/static/css/quoted-url-form.css",
                        "https://fonts.example.com/css?family=Upper",
                        "https://cdn.example.net/after-layer-statement.css");
    }

    @Test
    void importsBlockWhenTheStylesheetBlocks() {
        assertThat(extract("imports.css", true))
                .isNotEmpty()
                .allMatch(PageResource::blocking)
                .allMatch(r -> r.loading().equals("blocking"));
    }

    @Test
    void importsOfANonBlockingStylesheetDoNotBlock() {
        assertThat(extract("imports.css", false))
                .hasSize(5)
                .noneMatch(PageResource::blocking)
                .allMatch(r -> r.loading().equals("deferred-css"));
    }

    @Test
    void importsInCommentsOrAfterOtherRulesAreIgnoredAsBrowsersIgnoreThem() {
        assertThat(urls(extract("imports.css", true)))
                .noneMatch(u -> u.contains("commented-out"))
                .noneMatch(u -> u.contains("after-namespace-ignored"))
                .noneMatch(u -> u.contains("after-rule-ignored"))
                .noneMatch(u -> u.contains("w3.org"));
    }

    @Test
    void importEvidenceShowsTheRule() {
        List<PageResource> imports = extract("imports.css", true);

        assertThat(only(imports, "https://www.example.com/static/css/string-form.css", ResourceKind.CSS_IMPORT)
                        .evidence())
                .isEqualTo("@import \"string-form.css\"");
        assertThat(only(imports, "https://www.example.com/static/css/quoted-url-form.css", ResourceKind.CSS_IMPORT)
                        .evidence())
                .isEqualTo("@import url(\"quoted-url-form.css\")");
    }

    // --- @font-face ---

    @Test
    void everyUrlInFontFaceSrcIsAFontAndFormatAndLocalAreNot() {
        List<PageResource> fonts = extract("fonts.css", true);

        assertThat(urls(fonts, ResourceKind.FONT))
                .containsExactly(
                        "https://www.example.com/static/css/brand.eot",
                        "https://www.example.com/static/css/brand.eot?",
                        "https://www.example.com/static/css/brand.woff2",
                        "https://fonts.example-cdn.com/brand.woff",
                        "https://www.example.com/fonts/wide.woff2");
    }

    @Test
    void fontsNeverBlockEvenInABlockingStylesheet() {
        assertThat(extract("fonts.css", true))
                .filteredOn(r -> r.kind() == ResourceKind.FONT)
                .isNotEmpty()
                .noneMatch(PageResource::blocking);
    }

    @Test
    void fontEvidenceNamesTheRuleAndProperty() {
        PageResource font =
                only(extract("fonts.css", true), "https://www.example.com/static/css/brand.woff2", ResourceKind.FONT);

        assertThat(font.evidence()).isEqualTo("@font-face src: url('brand.woff2')");
    }

    @Test
    void urlsOutsideFontFaceAreCssUrlsEvenNextToIt() {
        List<PageResource> fonts = extract("fonts.css", true);

        assertThat(urls(fonts, ResourceKind.CSS_URL))
                .containsExactly(
                        "https://www.example.com/static/img/hero-wide.jpg",
                        "https://www.example.com/img/after-font-face.png");
    }

    // --- url() ---

    @Test
    void quotedUnquotedEscapedAndUpperCaseUrlsAreFound() {
        List<PageResource> css = extract("urls.css", true);

        assertThat(urls(css, ResourceKind.CSS_URL))
                .contains(
                        "https://www.example.com/static/css/unquoted.png",
                        "https://www.example.com/static/css/double.png",
                        "https://www.example.com/static/css/single.png",
                        "https://www.example.com/static/css/upper-case.png",
                        "https://www.example.com/static/css/esc(aped).png",
                        "https://www.example.com/static/css/quote%22d.png",
                        "https://www.example.com/static/css/hex.png");
    }

    @Test
    void urlsInAnyPropertyIncludingCustomPropertiesAndImageSetAreFound() {
        assertThat(urls(extract("urls.css", true), ResourceKind.CSS_URL))
                .contains(
                        "https://www.example.com/static/css/cursor.cur",
                        "https://www.example.com/static/up/bullet.svg",
                        "https://www.example.com/static/css/custom-property.png",
                        "https://www.example.com/static/css/set-1x.png",
                        "https://www.example.com/static/css/set-2x.png",
                        "https://www.example.com/static/css/webkit-set.png");
    }

    @Test
    void urlsInsideSupportsContainerLayerAndNestedRulesAreFound() {
        assertThat(urls(extract("urls.css", true), ResourceKind.CSS_URL))
                .contains(
                        "https://www.example.com/static/css/in-supports.png",
                        "https://www.example.com/static/css/in-container.png",
                        "https://www.example.com/static/css/in-layer.png",
                        "https://www.example.com/static/css/in-nested-rule.png");
    }

    @Test
    void absoluteAndProtocolRelativeUrlsKeepTheirHost() {
        List<PageResource> css = extract("urls.css", true);

        assertThat(only(css, "https://images.example-cdn.com/abs.png", ResourceKind.CSS_URL)
                        .host())
                .isEqualTo("images.example-cdn.com");
        assertThat(only(css, "https://protocol-relative.example-cdn.com/pr.png", ResourceKind.CSS_URL)
                        .host())
                .isEqualTo("protocol-relative.example-cdn.com");
    }

    @Test
    void commentsStringsSelectorsFragmentsDataAndEmptyUrlsYieldNothing() {
        List<PageResource> css = extract("urls.css", true);

        assertThat(urls(css))
                .noneMatch(u -> u.contains("in-comment"))
                .noneMatch(u -> u.contains("in-a-string"))
                .noneMatch(u -> u.contains("selector.example.org"))
                .noneMatch(u -> u.contains("svg-mask"))
                .noneMatch(u -> u.contains("data:"))
                .doesNotContain(SHEET.toString());
        assertThat(css).hasSize(19);
    }

    @Test
    void cssUrlsNeverBlockAndCarryTheirDeclarationAsEvidence() {
        List<PageResource> css = extract("urls.css", true);

        assertThat(css).noneMatch(PageResource::blocking).allMatch(r -> r.loading()
                .equals("eager"));
        assertThat(only(css, "https://www.example.com/static/css/cursor.cur", ResourceKind.CSS_URL)
                        .evidence())
                .isEqualTo("cursor: url(cursor.cur)");
    }

    @Test
    void externalStylesheetResourcesAreNotInHeadAndNotInferred() {
        assertThat(extract("urls.css", true))
                .noneMatch(PageResource::inHead)
                .noneMatch(PageResource::inferred)
                .noneMatch(PageResource::integrity);
    }

    // --- robustness and limits ---

    @Test
    void brokenCssDoesNotThrowAndRecoversAtTheNextRule() {
        List<PageResource> css = extract("broken.css", true);

        assertThat(urls(css))
                .containsExactly(
                        "https://www.example.com/static/css/before-garbage.png",
                        "https://www.example.com/static/css/after-garbage.png");
    }

    @Test
    void randomAndPathologicalCssNeverThrows() {
        Random random = new Random(7);
        String alphabet = "url(@import font-face{}\"';:/*\\\n ,.)abc0123456789-_é";
        for (int round = 0; round < 500; round++) {
            StringBuilder css = new StringBuilder();
            int length = random.nextInt(300);
            for (int i = 0; i < length; i++) {
                css.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = css.toString();
            assertThatCode(() -> CssExtractor.extract(input, SHEET, true))
                    .as(input)
                    .doesNotThrowAnyException();
        }
        for (String input : List.of(
                "",
                "\\",
                "url(",
                "url(\\",
                "@import",
                "@import \"",
                "@",
                "/*",
                "\"\\",
                "{".repeat(10_000),
                "a{b:url(\\0)}")) {
            assertThatCode(() -> CssExtractor.extract(input, SHEET, true))
                    .as(input.length() > 40 ? input.substring(0, 40) : input)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void nullCssYieldsNothing() {
        assertThat(CssExtractor.extract(null, SHEET, true)).isEmpty();
    }

    @Test
    void duplicateUrlsAreReportedOnce() {
        List<PageResource> css =
                CssExtractor.extract(".a{background:url(x.png)} .b{background:url('x.png')}", SHEET, true);

        assertThat(urls(css)).containsExactly("https://www.example.com/static/css/x.png");
    }

    @Test
    void resourceCapReportsTruncation() {
        StringBuilder css = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            css.append(".c").append(i).append("{background:url(img").append(i).append(".png)}");
        }

        Extraction capped = CssExtractor.extract(
                css.toString(), SHEET, true, ExtractionLimits.defaults().withMaxResources(5));
        Extraction roomy = CssExtractor.extract(css.toString(), SHEET, true, ExtractionLimits.defaults());

        assertThat(capped.truncated()).isTrue();
        assertThat(capped.resources()).hasSize(5);
        assertThat(roomy.truncated()).isFalse();
        assertThat(roomy.resources()).hasSize(20);
    }
}
