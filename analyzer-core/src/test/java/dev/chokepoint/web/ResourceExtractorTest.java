package dev.chokepoint.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.web.ResourceExtractor.Extraction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceExtractorTest {

    private static final URI PAGE = URI.create("https://www.example.com/section/page.html");

    static String fixture(String name) {
        try (InputStream in = ResourceExtractorTest.class.getResourceAsStream("/web/extract/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Extraction extractFixture(String name) {
        return ResourceExtractor.extract(fixture(name), PAGE);
    }

    private static Extraction extractHtml(String html) {
        return ResourceExtractor.extract(html, PAGE);
    }

    /** The one resource with this URL and kind; fails if there is none or more than one. */
    static PageResource only(List<PageResource> resources, String url, ResourceKind kind) {
        List<PageResource> matches = resources.stream()
                .filter(r -> r.url().toString().equals(url) && r.kind() == kind)
                .toList();
        assertThat(matches).as("%s %s in %s", kind, url, resources).hasSize(1);
        return matches.get(0);
    }

    private static PageResource only(Extraction extraction, String url, ResourceKind kind) {
        return only(extraction.resources(), url, kind);
    }

    private static List<String> urls(Extraction extraction) {
        return extraction.resources().stream().map(r -> r.url().toString()).toList();
    }

    private static List<String> urls(Extraction extraction, ResourceKind kind) {
        return extraction.resources().stream()
                .filter(r -> r.kind() == kind)
                .map(r -> r.url().toString())
                .toList();
    }

    @Nested
    class Scripts {
        private final Extraction scripts = extractFixture("scripts.html");

        @Test
        void classicScriptInHeadBlocksRendering() {
            PageResource script = only(scripts, "https://www.example.com/js/head-blocking.js", ResourceKind.SCRIPT);

            assertThat(script.blocking()).isTrue();
            assertThat(script.loading()).isEqualTo("blocking");
            assertThat(script.inHead()).isTrue();
            assertThat(script.inferred()).isFalse();
            assertThat(script.host()).isEqualTo("www.example.com");
        }

        @Test
        void classicScriptInBodyCountsAsBlockingToo() {
            PageResource script = only(scripts, "https://www.example.com/js/body-blocking.js", ResourceKind.SCRIPT);

            assertThat(script.blocking()).isTrue();
            assertThat(script.loading()).isEqualTo("blocking");
            assertThat(script.inHead()).isFalse();
        }

        @ParameterizedTest(name = "{0} loads {1}")
        @CsvSource({
            "https://www.googletagmanager.com/gtag/js?id=G-TEST123, async, true",
            "https://www.example.com/js/head-defer.js,              defer, true",
            "https://www.example.com/js/async-and-defer.js,         async, true",
            "https://www.example.com/js/body-async.js,              async, false",
            "https://www.example.com/js/body-defer.js,              defer, false",
        })
        void asyncAndDeferScriptsDoNotBlock(String url, String loading, boolean inHead) {
            PageResource script = only(scripts, url, ResourceKind.SCRIPT);

            assertThat(script.blocking()).isFalse();
            assertThat(script.loading()).isEqualTo(loading);
            assertThat(script.inHead()).isEqualTo(inHead);
        }

        @ParameterizedTest(name = "{0} loads {1}")
        @CsvSource({
            "https://www.example.com/js/app.mjs,          module",
            "https://www.example.com/js/module-async.mjs, async",
            "https://www.example.com/js/body-module.mjs,  module",
        })
        void moduleScriptsAreDeferredByDefault(String url, String loading) {
            PageResource script = only(scripts, url, ResourceKind.MODULE_SCRIPT);

            assertThat(script.blocking()).isFalse();
            assertThat(script.loading()).isEqualTo(loading);
        }

        @Test
        void nomoduleScriptDoesNotBlockBecauseModernBrowsersSkipIt() {
            PageResource script = only(scripts, "https://www.example.com/js/legacy.js", ResourceKind.SCRIPT);

            assertThat(script.blocking()).isFalse();
            assertThat(script.loading()).isEqualTo("nomodule");
        }

        @Test
        void javascriptTypeWithOrWithoutParametersIsAClassicBlockingScript() {
            assertThat(only(scripts, "https://www.example.com/js/typed-classic.js", ResourceKind.SCRIPT)
                            .blocking())
                    .isTrue();
            assertThat(only(scripts, "https://www.example.com/js/typed-with-params.js", ResourceKind.SCRIPT)
                            .blocking())
                    .isTrue();
        }

        @Test
        void blockingRenderTokenMakesAnAsyncScriptBlock() {
            PageResource script =
                    only(scripts, "https://www.example.com/js/render-blocking-async.js", ResourceKind.SCRIPT);

            assertThat(script.blocking()).isTrue();
            assertThat(script.loading()).isEqualTo("async");
        }

        @Test
        void jsonLdAndTemplatesAreNotResourcesEvenWithSrcOrUrlsInside() {
            assertThat(urls(scripts))
                    .noneMatch(u -> u.contains("jsonld.example.org"))
                    .noneMatch(u -> u.contains("schema.org"))
                    .noneMatch(u -> u.contains("should-not-appear"))
                    .noneMatch(u -> u.contains("template.example.org"));
        }

        @Test
        void scriptOfUnknownTypeWithSrcIsANonBlockingDependency() {
            PageResource script = only(scripts, "https://rocket.example.net/deferred.js", ResourceKind.SCRIPT);

            assertThat(script.blocking()).isFalse();
            assertThat(script.loading()).isEqualTo("defer");
        }

        @Test
        void scriptInsideNoscriptNeverRunsAndIsIgnored() {
            assertThat(urls(scripts)).noneMatch(u -> u.contains("noscript.example.net"));
        }

        @Test
        void integrityFlagNeedsANonEmptyIntegrityAttribute() {
            assertThat(only(scripts, "https://cdn.example.net/lib.js", ResourceKind.SCRIPT)
                            .integrity())
                    .isTrue();
            assertThat(only(scripts, "https://cdn.example.net/empty-integrity.js", ResourceKind.SCRIPT)
                            .integrity())
                    .isFalse();
            assertThat(only(scripts, "https://www.example.com/js/head-blocking.js", ResourceKind.SCRIPT)
                            .integrity())
                    .isFalse();
        }

        @Test
        void emptySrcLoadsNothing() {
            assertThat(urls(scripts)).doesNotContain(PAGE.toString());
            assertThat(urls(scripts, ResourceKind.SCRIPT)).hasSize(14);
            assertThat(urls(scripts, ResourceKind.MODULE_SCRIPT)).hasSize(3);
            assertThat(scripts.resources()).hasSize(17);
        }

        @Test
        void evidenceIsTheStartTag() {
            PageResource gtag =
                    only(scripts, "https://www.googletagmanager.com/gtag/js?id=G-TEST123", ResourceKind.SCRIPT);

            assertThat(gtag.evidence())
                    .isEqualTo("<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-TEST123\">");
        }

        @Test
        void longAttributeIsShortenedSoThatLaterAttributesStillShow() {
            String longUrl = "https://cdn.example.net/" + "x".repeat(300) + ".js";
            Extraction extraction = extractHtml("<script src=\"" + longUrl + "\" async></script>");

            PageResource script = only(extraction, longUrl, ResourceKind.SCRIPT);

            assertThat(script.evidence())
                    .hasSizeLessThanOrEqualTo(PageResource.MAX_EVIDENCE_CHARS)
                    .startsWith("<script src=\"https://cdn.example.net/xxx")
                    .contains("…")
                    .endsWith("\" async>");
        }
    }

    @Nested
    class Stylesheets {
        private final Extraction sheets = extractFixture("stylesheets.html");

        @ParameterizedTest(name = "{0} blocking={1}")
        @CsvSource({
            "plain.css,                  true",
            "media-all.css,              true",
            "media-screen.css,           true",
            "media-only-screen.css,      true",
            "media-empty.css,            true",
            "media-list.css,             true",
            "media-not-print.css,        true",
            "media-print.css,            false",
            "media-query.css,            false",
            "media-screen-and-query.css, false",
        })
        void stylesheetBlocksOnlyWhenItsMediaMatchesEveryScreen(String file, boolean blocking) {
            PageResource sheet = only(sheets, "https://www.example.com/css/" + file, ResourceKind.STYLESHEET);

            assertThat(sheet.blocking()).isEqualTo(blocking);
            assertThat(sheet.loading()).isEqualTo(blocking ? "blocking" : "deferred-css");
        }

        @Test
        void disabledStylesheetDoesNotBlock() {
            assertThat(only(sheets, "https://www.example.com/css/disabled.css", ResourceKind.STYLESHEET)
                            .blocking())
                    .isFalse();
        }

        @Test
        void alternateStylesheetDoesNotBlock() {
            PageResource sheet = only(sheets, "https://www.example.com/css/alternate.css", ResourceKind.STYLESHEET);

            assertThat(sheet.blocking()).isFalse();
            assertThat(sheet.loading()).isEqualTo("deferred-css");
        }

        @Test
        void printMediaWithOnloadSwapDoesNotBlock() {
            PageResource sheet = only(sheets, "https://www.example.com/css/onload-trick.css", ResourceKind.STYLESHEET);

            assertThat(sheet.blocking()).isFalse();
            assertThat(sheet.loading()).isEqualTo("deferred-css");
            assertThat(sheet.evidence()).contains("onload=\"this.media='all'\"");
        }

        @Test
        void blockingRenderTokenMakesANonMatchingStylesheetBlock() {
            assertThat(only(sheets, "https://www.example.com/css/render-blocking.css", ResourceKind.STYLESHEET)
                            .blocking())
                    .isTrue();
        }

        @Test
        void relIsCaseInsensitiveAndIntegrityIsRecorded() {
            PageResource sheet = only(sheets, "https://fonts.example.com/css2?family=Inter", ResourceKind.STYLESHEET);

            assertThat(sheet.blocking()).isTrue();
            assertThat(sheet.integrity()).isTrue();
            assertThat(sheet.host()).isEqualTo("fonts.example.com");
        }

        @Test
        void stylesheetInBodyBlocksWhatFollowsIt() {
            PageResource sheet = only(sheets, "https://www.example.com/css/in-body.css", ResourceKind.STYLESHEET);

            assertThat(sheet.blocking()).isTrue();
            assertThat(sheet.inHead()).isFalse();
        }

        @Test
        void stylesheetInsideNoscriptIsKeptButNeverBlocks() {
            PageResource sheet = only(sheets, "https://www.example.com/css/noscript.css", ResourceKind.STYLESHEET);

            assertThat(sheet.blocking()).isFalse();
        }
    }

    @Nested
    class Hints {
        private final Extraction hints = extractFixture("hints.html");

        @Test
        void preloadKeepsItsAsInTheEvidence() {
            PageResource font = only(hints, "https://www.example.com/fonts/inter.woff2", ResourceKind.PRELOAD);

            assertThat(font.loading()).isEqualTo("hint");
            assertThat(font.evidence()).contains("as=\"font\"");
        }

        @Test
        void preloadedStylesheetWithOnloadSwapIsOnlyAPreload() {
            only(hints, "https://www.example.com/css/async.css", ResourceKind.PRELOAD);

            assertThat(urls(hints, ResourceKind.STYLESHEET)).isEmpty();
        }

        @Test
        void preloadImagesrcsetCandidatesArePreloadsToo() {
            assertThat(urls(hints, ResourceKind.PRELOAD))
                    .contains(
                            "https://www.example.com/img/hero.jpg",
                            "https://www.example.com/img/hero-1x.jpg",
                            "https://www.example.com/img/hero-2x.jpg");
        }

        @Test
        void modulepreloadPrefetchAndPrerenderAreRecognised() {
            only(hints, "https://www.example.com/js/chunk.mjs", ResourceKind.MODULEPRELOAD);
            only(hints, "https://next.example.com/page2.html", ResourceKind.PREFETCH);
            only(hints, "https://www.example.com/prerendered", ResourceKind.PREFETCH);
        }

        @Test
        void preconnectAndProtocolRelativeDnsPrefetchNameTheirOrigins() {
            only(hints, "https://fonts.gstatic.com/", ResourceKind.PRECONNECT);
            PageResource dns = only(hints, "https://analytics.example.org/", ResourceKind.DNS_PREFETCH);

            assertThat(dns.host()).isEqualTo("analytics.example.org");
        }

        @Test
        void linkWithTwoRelTokensYieldsBothKinds() {
            only(hints, "https://both.example.net/", ResourceKind.PRECONNECT);
            only(hints, "https://both.example.net/", ResourceKind.DNS_PREFETCH);
        }

        @Test
        void manifestIsAPrefetchLikeHint() {
            PageResource manifest = only(hints, "https://www.example.com/site.webmanifest", ResourceKind.PREFETCH);

            assertThat(manifest.loading()).isEqualTo("hint");
            assertThat(manifest.evidence()).contains("rel=\"manifest\"");
        }

        @Test
        void iconsAreImages() {
            assertThat(urls(hints, ResourceKind.IMAGE))
                    .containsExactly(
                            "https://www.example.com/favicon.ico",
                            "https://www.example.com/shortcut.ico",
                            "https://www.example.com/apple-touch-icon.png");
        }

        @Test
        void navigationalLinksAreNotResources() {
            assertThat(urls(hints))
                    .doesNotContain(
                            "https://www.example.com/", "https://de.example.com/", "https://www.example.com/page/2");
        }

        @Test
        void noHintEverBlocks() {
            assertThat(hints.resources()).isNotEmpty().noneMatch(PageResource::blocking);
        }
    }

    @Nested
    class Media {
        private final Extraction media = extractFixture("media.html");

        @Test
        void iframesAreEagerUnlessLazy() {
            PageResource eager = only(media, "https://www.youtube-nocookie.example/embed/abc", ResourceKind.IFRAME);
            PageResource lazy = only(media, "https://maps.example.com/embed?q=x", ResourceKind.IFRAME);

            assertThat(eager.loading()).isEqualTo("eager");
            assertThat(lazy.loading()).isEqualTo("lazy");
            assertThat(List.of(eager, lazy)).noneMatch(PageResource::blocking);
        }

        @Test
        void imgSrcAndEverySrcsetCandidateAreImagesWithTheImgLoading() {
            assertThat(only(media, "https://www.example.com/img/logo.png", ResourceKind.IMAGE)
                            .loading())
                    .isEqualTo("eager");
            for (String url : List.of(
                    "https://www.example.com/img/lazy.jpg",
                    "https://www.example.com/img/lazy-480.jpg",
                    "https://images.example-cdn.com/lazy-800.jpg",
                    "https://www.example.com/img/lazy-1200.jpg")) {
                assertThat(only(media, url, ResourceKind.IMAGE).loading())
                        .as(url)
                        .isEqualTo("lazy");
            }
        }

        @Test
        void srcsetUrlMayContainACommaWhenNotAtItsEnd() {
            only(media, "https://www.example.com/img/comma,name.jpg", ResourceKind.IMAGE);
            only(media, "https://www.example.com/img/second.jpg", ResourceKind.IMAGE);
        }

        @Test
        void pictureSourcesAreImagesAndTakeTheLoadingOfThePictureImg() {
            for (String url : List.of(
                    "https://www.example.com/img/photo.avif",
                    "https://www.example.com/img/photo@2x.avif",
                    "https://www.example.com/img/photo.webp",
                    "https://www.example.com/img/photo.jpg")) {
                assertThat(only(media, url, ResourceKind.IMAGE).loading())
                        .as(url)
                        .isEqualTo("lazy");
            }
        }

        @ParameterizedTest(name = "{0} loads {1}")
        @CsvSource({
            "https://www.example.com/media/intro.mp4,        eager",
            "https://www.example.com/media/poster.jpg,       eager",
            "https://video.example.net/poster2.jpg,          eager",
            "https://video.example.net/clip.webm,            lazy",
            "https://video.example.net/clip.mp4,             lazy",
            "https://www.example.com/media/captions-en.vtt,  eager",
            "https://www.example.com/media/captions-de.vtt,  lazy",
            "https://audio.example.org/podcast.mp3,          lazy",
            "https://www.example.com/media/jingle.ogg,       eager",
        })
        void videoAudioSourcesTracksAndPostersAreMedia(String url, String loading) {
            PageResource resource = only(media, url, ResourceKind.MEDIA);

            assertThat(resource.loading()).isEqualTo(loading);
            assertThat(resource.blocking()).isFalse();
        }

        @Test
        void objectDataAndEmbedSrcAreObjects() {
            assertThat(urls(media, ResourceKind.OBJECT))
                    .containsExactly("https://objects.example.org/movie.swf", "https://www.example.com/embed/doc.pdf");
        }

        @Test
        void imageInputIsAnImageButOtherInputsAreNot() {
            only(media, "https://www.example.com/img/submit.png", ResourceKind.IMAGE);

            assertThat(urls(media)).doesNotContain("https://www.example.com/img/not-an-image-input.png");
        }

        @Test
        void nothingInTheBodyIsInHeadOrBlocking() {
            assertThat(media.resources())
                    .hasSize(25)
                    .noneMatch(PageResource::inHead)
                    .noneMatch(PageResource::blocking);
        }
    }

    @Nested
    class Base {
        @Test
        void relativeBaseHrefResolvesAgainstTheDocumentAndRelativeUrlsAgainstIt() {
            Extraction extraction = extractFixture("base-relative.html");

            assertThat(extraction.baseHref()).contains(URI.create("https://www.example.com/assets/v2/"));
            only(extraction, "https://www.example.com/assets/v2/", ResourceKind.BASE);
            only(extraction, "https://www.example.com/assets/v2/app.js", ResourceKind.SCRIPT);
            only(extraction, "https://www.example.com/assets/shared/site.css", ResourceKind.STYLESHEET);
            only(extraction, "https://www.example.com/root.png", ResourceKind.IMAGE);
            only(extraction, "https://www.example.com/assets/v2/?variant=small", ResourceKind.IMAGE);
        }

        @Test
        void baseElementIsInformationalAndNeverBlocks() {
            PageResource base =
                    only(extractFixture("base-relative.html"), "https://www.example.com/assets/v2/", ResourceKind.BASE);

            assertThat(base.blocking()).isFalse();
            assertThat(base.evidence()).isEqualTo("<base href=\"/assets/v2/\">");
        }

        @Test
        void absoluteBaseHrefAppliesToTheWholeDocumentAndOnlyTheFirstCounts() {
            Extraction extraction = extractFixture("base-absolute.html");

            assertThat(extraction.baseHref()).contains(URI.create("https://static.example-cdn.net/site/"));
            assertThat(urls(extraction, ResourceKind.BASE)).containsExactly("https://static.example-cdn.net/site/");
            assertThat(urls(extraction))
                    .contains(
                            "https://static.example-cdn.net/site/before-base.js",
                            "https://static.example-cdn.net/site/app.js",
                            "https://static.example-cdn.net/site/img/a.png")
                    .noneMatch(u -> u.contains("second-base.example.org"));
        }

        @Test
        void unusableFirstBaseFallsBackToTheDocumentUrlNotToALaterBase() {
            Extraction extraction = extractFixture("base-unusable.html");

            assertThat(extraction.baseHref()).isEmpty();
            assertThat(urls(extraction)).containsExactly("https://www.example.com/section/app.js");
        }

        @Test
        void withoutBaseRelativeUrlsResolveAgainstTheDocument() {
            Extraction extraction =
                    extractHtml("<img src=\"pic.png\"><img src=\"../up.png\"><img src=\"/../root.png\">");

            assertThat(extraction.baseHref()).isEmpty();
            assertThat(urls(extraction))
                    .containsExactly(
                            "https://www.example.com/section/pic.png",
                            "https://www.example.com/up.png",
                            "https://www.example.com/root.png");
        }

        @Test
        void baseInsideTemplateOrNoscriptIsNotTheFirstBase() {
            Extraction extraction = extractHtml("<head><template><base href=\"https://template.example/\"></template>"
                    + "<noscript><base href=\"https://noscript.example/\"></noscript>"
                    + "<base href=\"https://real.example/dir/\"></head><body><img src=\"a.png\"></body>");

            assertThat(extraction.baseHref()).contains(URI.create("https://real.example/dir/"));
            assertThat(urls(extraction, ResourceKind.IMAGE)).containsExactly("https://real.example/dir/a.png");
        }

        @Test
        void queryOnlyReferenceKeepsTheDocumentPath() {
            Extraction extraction = extractHtml("<img src=\"?size=small\">");

            assertThat(urls(extraction)).containsExactly("https://www.example.com/section/page.html?size=small");
        }

        @Test
        void documentUrlWithoutPathStillResolvesUnderTheRoot() {
            Extraction extraction =
                    ResourceExtractor.extract("<script src=\"app.js\"></script>", URI.create("https://example.org"));

            assertThat(urls(extraction)).containsExactly("https://example.org/app.js");
        }
    }

    @Nested
    class Urls {
        @Test
        void protocolRelativeUrlTakesTheDocumentScheme() {
            Extraction overHttp = ResourceExtractor.extract(
                    "<img src=\"//cdn.example.net/a.png\">", URI.create("http://www.example.com/"));
            Extraction overHttps = extractHtml("<img src=\"//cdn.example.net/a.png\">");

            assertThat(urls(overHttp)).containsExactly("http://cdn.example.net/a.png");
            assertThat(urls(overHttps)).containsExactly("https://cdn.example.net/a.png");
        }

        @Test
        void nonHttpSchemesNavigationAndInertContentAreIgnored() {
            Extraction extraction = extractFixture("ignored.html");

            assertThat(urls(extraction)).containsExactly("https://www.example.com/img/kept.png");
        }

        @Test
        void urlsAreNormalisedButKeepTheirPathCase() {
            Extraction extraction = extractFixture("broken.html");

            PageResource mixed = only(extraction, "https://cdn.example.net/Mixed/Case.PNG", ResourceKind.IMAGE);
            assertThat(mixed.host()).isEqualTo("cdn.example.net");
            only(extraction, "http://plain.example.org/default-port.png", ResourceKind.IMAGE);
            only(extraction, "https://ports.example.org:8443/custom-port.png", ResourceKind.IMAGE);
        }

        @Test
        void unicodeHostBecomesPunycode() {
            PageResource image = only(
                    extractFixture("broken.html"), "https://xn--bcher-kva.example/unicode.png", ResourceKind.IMAGE);

            assertThat(image.host()).isEqualTo("xn--bcher-kva.example");
        }

        @Test
        void charactersThatUriRejectsArePercentEncodedAsBrowsersDo() {
            only(
                    extractFixture("broken.html"),
                    "https://files.example.org/a%20b%7Cc%5Ed.png?q=%5B1%5D",
                    ResourceKind.IMAGE);
        }

        @Test
        void invalidHostsAndPortsAreDropped() {
            assertThat(urls(extractFixture("broken.html")))
                    .noneMatch(u -> u.contains("bad"))
                    .noneMatch(u -> u.contains("space.png"))
                    .noneMatch(u -> u.contains("not-an-ipv6"))
                    .noneMatch(u -> u.contains("zz.example"));
        }
    }

    @Nested
    class Refresh {
        static Stream<Arguments> refreshContents() {
            return Stream.of(
                    Arguments.of("0; url=https://a.example/next", "https://a.example/next"),
                    Arguments.of("5;URL='https://a.example/quoted'", "https://a.example/quoted"),
                    Arguments.of("0, url = \"https://a.example/dq\"", "https://a.example/dq"),
                    Arguments.of("0;https://a.example/no-url-key", "https://a.example/no-url-key"),
                    Arguments.of("  1.5 ; Url=/relative  ", "/relative"),
                    Arguments.of("3;url='https://a.example/unclosed", "https://a.example/unclosed"));
        }

        @ParameterizedTest(name = "[{0}] targets [{1}]")
        @MethodSource("refreshContents")
        void refreshContentYieldsItsUrl(String content, String target) {
            assertThat(ResourceExtractor.refreshTarget(content)).contains(target);
        }

        @ParameterizedTest(name = "[{0}] has no target")
        @ValueSource(strings = {"30", "0;", "url=https://a.example/no-time", "", "0; url="})
        void refreshWithoutTimeOrUrlHasNoTarget(String content) {
            assertThat(ResourceExtractor.refreshTarget(content)).isEmpty();
        }

        @Test
        void metaRefreshTargetIsANonBlockingResource() {
            Extraction extraction = extractFixture("refresh.html");

            PageResource refresh = only(extraction, "https://moved.example.org/new-home", ResourceKind.REFRESH);
            assertThat(refresh.blocking()).isFalse();
            assertThat(refresh.inHead()).isTrue();
            assertThat(urls(extraction, ResourceKind.REFRESH))
                    .containsExactly("https://moved.example.org/new-home", "https://www.example.com/nojs.html");
        }
    }

    @Nested
    class InlineScripts {
        private final Extraction inline = extractFixture("inline-snippets.html");

        @Test
        void loaderSnippetsYieldInferredNonBlockingReferences() {
            List<String> expected = List.of(
                    "https://www.tagmanager.example/load.js?id=",
                    "https://stats.analytics.example/collect.js",
                    "https://connect.pixel.example/en_US/events.js",
                    "https://esm.cdn.example/app@1.2.3/index.js",
                    "https://imports.example.org/lodash.js");
            for (String url : expected) {
                PageResource reference = only(inline, url, ResourceKind.INLINE_REFERENCE);
                assertThat(reference.inferred()).as(url).isTrue();
                assertThat(reference.blocking()).as(url).isFalse();
                assertThat(reference.loading()).as(url).isEqualTo("inferred");
                assertThat(reference.inHead()).as(url).isTrue();
            }
        }

        @Test
        void jsonEscapedSlashesAreUnescapedAndOtherEscapesEndTheUrl() {
            only(inline, "https://api.json-escaped.example/v1/", ResourceKind.INLINE_REFERENCE);
            PageResource cut = only(inline, "https://cdn.example.net/path", ResourceKind.INLINE_REFERENCE);

            assertThat(cut.inHead()).isFalse();
        }

        @Test
        void namespacesCommentsConcatenationsAndPathsAreNotReferences() {
            assertThat(urls(inline))
                    .noneMatch(u -> u.contains("w3.org"))
                    .noneMatch(u -> u.contains("docs.example.com"))
                    .noneMatch(u -> u.contains("only/a/path"))
                    .noneMatch(u -> u.contains("location"));
        }

        @Test
        void contentOfAScriptWithSrcAndJsonLdAreNotScanned() {
            assertThat(urls(inline))
                    .noneMatch(u -> u.contains("ignored-inline-content"))
                    .noneMatch(u -> u.contains("jsonld-only"));
            only(inline, "https://external.example.org/with-src.js", ResourceKind.SCRIPT);
        }

        @Test
        void evidenceShowsTheLiteralInItsContext() {
            PageResource reference =
                    only(inline, "https://www.tagmanager.example/load.js?id=", ResourceKind.INLINE_REFERENCE);

            assertThat(reference.evidence())
                    .startsWith("<script>")
                    .contains("el.src = 'https://www.tagmanager.example/load.js?id=");
        }

        @Test
        void onlyInlineReferencesAreInferred() {
            assertThat(inline.resources())
                    .allMatch(r -> r.inferred() == (r.kind() == ResourceKind.INLINE_REFERENCE))
                    .hasSize(8);
        }
    }

    @Nested
    class InlineCss {
        private final Extraction css = extractFixture("inline-css.html");

        @Test
        void importInStyleBlockBlocksAndInlineUrlsResolveAgainstTheDocument() {
            PageResource imported = only(css, "https://www.example.com/css/inline-import.css", ResourceKind.CSS_IMPORT);
            PageResource background =
                    only(css, "https://www.example.com/section/img/inline-bg.png", ResourceKind.CSS_URL);
            PageResource font = only(css, "https://fonts.inline.example/inline.woff2", ResourceKind.FONT);

            assertThat(imported.blocking()).isTrue();
            assertThat(imported.inHead()).isTrue();
            assertThat(imported.evidence()).isEqualTo("<style> @import url(\"/css/inline-import.css\")");
            assertThat(background.blocking()).isFalse();
            assertThat(font.blocking()).isFalse();
        }

        @Test
        void importInPrintStyleBlockDoesNotBlock() {
            PageResource imported = only(css, "https://www.example.com/css/print-import.css", ResourceKind.CSS_IMPORT);

            assertThat(imported.blocking()).isFalse();
            assertThat(imported.loading()).isEqualTo("deferred-css");
        }

        @Test
        void styleBlockOfAnotherLanguageIsIgnored() {
            assertThat(urls(css)).noneMatch(u -> u.contains("not-css"));
        }

        @Test
        void styleAttributeUrlsAreCssUrlsAndGarbageInThemIsSkipped() {
            PageResource attribute = only(css, "https://www.example.com/img/attr-bg.png", ResourceKind.CSS_URL);

            assertThat(attribute.inHead()).isFalse();
            assertThat(attribute.evidence()).isEqualTo("<div style> background-image: url('/img/attr-bg.png')");
            assertThat(css.resources()).hasSize(5);
        }
    }

    @Nested
    class Robustness {
        @Test
        void brokenMarkupDoesNotThrowAndKeepsWhatABrowserWouldParse() {
            Extraction extraction = extractFixture("broken.html");

            assertThat(only(extraction, "https://www.example.com/js/before-garbage.js", ResourceKind.SCRIPT)
                            .blocking())
                    .isTrue();
            only(extraction, "https://www.example.com/img/in-broken-table.png", ResourceKind.IMAGE);
            only(extraction, "https://www.example.com/css/unquoted.css", ResourceKind.STYLESHEET);
            only(extraction, "https://www.example.com/js/unclosed.js", ResourceKind.SCRIPT);
        }

        @Test
        void randomAndPathologicalInputNeverThrows() {
            Random random = new Random(42);
            String alphabet =
                    "<>\"'=/ \n\\&#;:()[]{}@*,.abcdefghijklmnopqrstuvwxyzsrc href url script style img link é\0";
            for (int round = 0; round < 300; round++) {
                StringBuilder html = new StringBuilder();
                int length = random.nextInt(400);
                for (int i = 0; i < length; i++) {
                    html.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String input = html.toString();
                assertThatCode(() -> ResourceExtractor.extract(input, PAGE))
                        .as(input)
                        .doesNotThrowAnyException();
            }
            List<String> pathological = List.of(
                    "",
                    "<",
                    "<script>",
                    "<style>@import url(",
                    "<img srcset=\",,,,, ,\">",
                    "<img src=\"https://\">",
                    "<img src=\"https:\">",
                    "<img src=\"http://[::1]:80/x.png\">",
                    "<meta http-equiv=refresh content=\"0;url=\">",
                    "<div>".repeat(5000),
                    "<script>'" + "https://a.".repeat(5000) + "</script>");
            for (String input : pathological) {
                assertThatCode(() -> ResourceExtractor.extract(input, PAGE))
                        .as(input.length() > 60 ? input.substring(0, 60) : input)
                        .doesNotThrowAnyException();
            }
        }

        @Test
        void nullHtmlYieldsNothing() {
            Extraction extraction = ResourceExtractor.extract(null, PAGE);

            assertThat(extraction.resources()).isEmpty();
            assertThat(extraction.truncated()).isFalse();
            assertThat(extraction.baseHref()).isEmpty();
        }

        @Test
        void ipv6LiteralHostIsKept() {
            Extraction extraction = extractHtml("<img src=\"http://[2001:DB8::1]:8080/x.png\">");

            PageResource image = only(extraction, "http://[2001:db8::1]:8080/x.png", ResourceKind.IMAGE);
            assertThat(image.host()).isEqualTo("[2001:db8::1]");
        }
    }

    @Nested
    class DeduplicationAndLimits {
        @Test
        void duplicateReferenceIsReportedOnceAsTheMostBlockingInFirstPosition() {
            Extraction extraction = extractHtml("<head><script async src=\"/a.js\"></script>"
                    + "<link rel=stylesheet href=\"/s.css\"></head>"
                    + "<body><script src=\"/a.js\"></script><script defer src=\"/a.js\"></script></body>");

            assertThat(urls(extraction))
                    .containsExactly("https://www.example.com/a.js", "https://www.example.com/s.css");
            PageResource script = only(extraction, "https://www.example.com/a.js", ResourceKind.SCRIPT);
            assertThat(script.blocking()).isTrue();
            assertThat(script.evidence()).isEqualTo("<script src=\"/a.js\">");
        }

        @Test
        void sameUrlUnderDifferentKindsIsKeptForEachKind() {
            Extraction extraction = extractHtml(
                    "<link rel=preload as=image href=\"/i.png\"><img src=\"/i.png\"><img src=\"/i.png#again\">");

            assertThat(extraction.resources())
                    .extracting(PageResource::kind)
                    .containsExactly(ResourceKind.PRELOAD, ResourceKind.IMAGE);
        }

        @Test
        void resourceCapKeepsTheFirstAndReportsTruncation() {
            StringBuilder html = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                html.append("<img src=\"/img/").append(i).append(".png\">");
            }

            Extraction capped = ResourceExtractor.extract(
                    html.toString(), PAGE, ExtractionLimits.defaults().withMaxResources(10));
            Extraction roomy = ResourceExtractor.extract(html.toString(), PAGE, 50);

            assertThat(capped.truncated()).isTrue();
            assertThat(capped.resources()).hasSize(10);
            assertThat(urls(capped))
                    .startsWith("https://www.example.com/img/0.png")
                    .doesNotContain("https://www.example.com/img/10.png");
            assertThat(roomy.truncated()).isFalse();
            assertThat(roomy.resources()).hasSize(50);
        }

        @Test
        void inlineTextCapStopsScanningAndReportsTruncation() {
            String html =
                    "<script>var pad = '" + "x".repeat(2000) + "'; load('https://late.example.org/x.js');</script>";

            Extraction capped = ResourceExtractor.extract(html, PAGE, new ExtractionLimits(100, 1000));
            Extraction full = ResourceExtractor.extract(html, PAGE);

            assertThat(capped.truncated()).isTrue();
            assertThat(capped.resources()).isEmpty();
            assertThat(full.truncated()).isFalse();
            assertThat(urls(full)).containsExactly("https://late.example.org/x.js");
        }

        @Test
        void limitsMustBePositive() {
            assertThatThrownBy(() -> new ExtractionLimits(0, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ExtractionLimits(10, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ExtractionLimits.defaults().maxResources()).isEqualTo(2000);
        }
    }

    @Nested
    class Model {
        @Test
        void kindIdsAreLowerCaseAndHyphenated() {
            assertThat(ResourceKind.DNS_PREFETCH.id()).isEqualTo("dns-prefetch");
            assertThat(ResourceKind.MODULE_SCRIPT.id()).isEqualTo("module-script");
            assertThat(ResourceKind.INLINE_REFERENCE.id()).isEqualTo("inline-reference");
            assertThat(ResourceKind.SCRIPT.id()).isEqualTo("script");
        }

        @Test
        void onlyInlineReferencesMayBeInferred() {
            URI url = URI.create("https://a.example/");

            assertThatThrownBy(() -> new PageResource(
                            url, "a.example", ResourceKind.SCRIPT, false, "async", true, false, true, "x"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new PageResource(
                            url,
                            "a.example",
                            ResourceKind.INLINE_REFERENCE,
                            false,
                            "inferred",
                            true,
                            false,
                            false,
                            "x"))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void evidenceIsCappedWithAnEllipsis() {
            PageResource resource = new PageResource(
                    URI.create("https://a.example/"),
                    "a.example",
                    ResourceKind.IMAGE,
                    false,
                    "eager",
                    false,
                    false,
                    false,
                    "y".repeat(500));

            assertThat(resource.evidence())
                    .hasSize(PageResource.MAX_EVIDENCE_CHARS)
                    .endsWith("…");
        }

        @Test
        void extractionHasNoBaseWhenThePageHasNone() {
            assertThat(extractHtml("<p>hi</p>").baseHref()).isEqualTo(Optional.empty());
        }
    }
}
