package dev.chokepoint.web;

import com.ibm.icu.text.IDNA;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Extracts every external resource an HTML page references, with its loading semantics; pure and network-free.
 *
 * <p>Markup is parsed with Jsoup, which, like a browser, accepts any input; this class never throws on bad markup.
 * Relative URLs resolve against the first {@code <base href>} (as the HTML standard says), else the document URL. Only
 * http and https URLs are kept. Identical (URL, kind) pairs are reported once, as the most blocking of them.
 */
public final class ResourceExtractor {

    /**
     * What one extraction found.
     *
     * @param resources the resources in document order of their first reference, without duplicates
     * @param truncated whether a limit was hit, so that resources may be missing
     * @param baseHref the effective {@code <base href>}, if the page has one that is an http or https URL
     */
    public record Extraction(List<PageResource> resources, boolean truncated, Optional<URI> baseHref) {
        /** Copies the list. */
        public Extraction {
            resources = List.copyOf(resources);
            Objects.requireNonNull(baseHref, "baseHref");
        }
    }

    /** Script types that run as classic JavaScript: the HTML standard's JavaScript MIME type essences. */
    private static final Set<String> JAVASCRIPT_TYPES = Set.of(
            "application/ecmascript",
            "application/javascript",
            "application/x-ecmascript",
            "application/x-javascript",
            "text/ecmascript",
            "text/javascript",
            "text/javascript1.0",
            "text/javascript1.1",
            "text/javascript1.2",
            "text/javascript1.3",
            "text/javascript1.4",
            "text/javascript1.5",
            "text/jscript",
            "text/livescript",
            "text/x-ecmascript",
            "text/x-javascript");

    /**
     * A string literal that holds an absolute or protocol-relative URL, in JavaScript or JSON text, where {@code /} may
     * be escaped as {@code \/}. The host needs a dot, so that {@code "//"} comment-like strings do not match. This is a
     * scan for URL-looking literals, not a JavaScript parser: it is evidence, not proof, and is reported as inferred.
     * Every quantifier is possessive, so a long run of odd text cannot make it backtrack.
     */
    private static final Pattern URL_LITERAL = Pattern.compile(
            "[\"'`]((?:[hH][tT][tT][pP][sS]?:)?(?:\\\\?/){2}+[A-Za-z0-9-]++(?:\\.[A-Za-z0-9-]++)++(?::[0-9]{1,5}+)?+"
                    + "(?:\\\\?[/?#][^\"'`\\s<>]*+)?+)");

    /**
     * Hosts of XML namespaces and vocabularies that scripts name as identifiers ({@code createElementNS(
     * "http://www.w3.org/2000/svg", …)}), which no browser fetches.
     */
    private static final Set<String> IDENTIFIER_HOSTS = Set.of("www.w3.org", "w3.org", "schema.org", "www.schema.org");

    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII);
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final int MAX_ATTRIBUTE_EVIDENCE_CHARS = 80;
    private static final int INLINE_CONTEXT_CHARS = 40;

    private ResourceExtractor() {}

    /** Extracts the resources of {@code html}, served from {@code documentUrl}, with the default limits. */
    public static Extraction extract(String html, URI documentUrl) {
        return extract(html, documentUrl, ExtractionLimits.defaults());
    }

    /** Extracts the resources of {@code html}, served from {@code documentUrl}, keeping at most {@code maxResources}. */
    public static Extraction extract(String html, URI documentUrl, int maxResources) {
        return extract(html, documentUrl, ExtractionLimits.defaults().withMaxResources(maxResources));
    }

    /**
     * Extracts the resources of {@code html}, served from {@code documentUrl} (an absolute http or https URL: relative
     * references cannot be resolved otherwise), keeping within {@code limits}.
     */
    public static Extraction extract(String html, URI documentUrl, ExtractionLimits limits) {
        Objects.requireNonNull(documentUrl, "documentUrl");
        Objects.requireNonNull(limits, "limits");
        // No base URI for Jsoup: it would resolve with java.net.URL rules; this class resolves by itself.
        Document document = Jsoup.parse(html == null ? "" : html, "");
        Optional<Element> baseElement = firstBase(document);
        Optional<URI> baseHref = baseElement.flatMap(b -> resolve(documentUrl, b.attr("href")));
        Walker walker = new Walker(baseHref.orElse(documentUrl), baseHref, baseElement, new Collector(limits), limits);
        NodeTraversor.traverse(walker, document);
        return new Extraction(walker.out.resources(), walker.out.truncated(), baseHref);
    }

    /**
     * The first {@code <base>} with an href in tree order, outside templates and noscript: the only one that counts
     * (HTML standard, "frozen base URL"); later ones are ignored even when the first one's href is unusable.
     */
    private static Optional<Element> firstBase(Document document) {
        for (Element base : document.select("base[href]")) {
            if (!hasAncestor(base, "template") && !hasAncestor(base, "noscript")) {
                return Optional.of(base);
            }
        }
        return Optional.empty();
    }

    private static boolean hasAncestor(Element element, String name) {
        for (Element e = element.parent(); e != null; e = e.parent()) {
            if (e.normalName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Walks the tree once, in document order, tracking whether the current node is in head, noscript or template. */
    private static final class Walker implements NodeVisitor {
        private final URI base;
        private final Optional<URI> baseHref;
        private final Optional<Element> baseElement;
        private final Collector out;
        private final ExtractionLimits limits;
        private int headDepth;
        private int noscriptDepth;
        private int templateDepth;

        Walker(
                URI base,
                Optional<URI> baseHref,
                Optional<Element> baseElement,
                Collector out,
                ExtractionLimits limits) {
            this.base = base;
            this.baseHref = baseHref;
            this.baseElement = baseElement;
            this.out = out;
            this.limits = limits;
        }

        @Override
        public void head(Node node, int depth) {
            if (!(node instanceof Element e)) {
                return;
            }
            // Template contents are inert: nothing in them loads until a script clones them.
            if (templateDepth == 0) {
                element(e);
            }
            count(e, 1);
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                count(e, -1);
            }
        }

        private void count(Element e, int delta) {
            switch (e.normalName()) {
                case "head" -> headDepth += delta;
                case "noscript" -> noscriptDepth += delta;
                case "template" -> templateDepth += delta;
                default -> {}
            }
        }

        private void element(Element e) {
            switch (e.normalName()) {
                case "base" -> base(e);
                case "script" -> script(e);
                case "link" -> link(e);
                case "style" -> style(e);
                case "img" -> image(e, "src", "srcset", loadingAttribute(e));
                case "input" -> {
                    if (e.attr("type").strip().equalsIgnoreCase("image")) {
                        image(e, "src", null, "eager");
                    }
                }
                case "iframe", "frame" -> add(e, "src", ResourceKind.IFRAME, false, loadingAttribute(e));
                case "source" -> source(e);
                case "video", "audio" -> media(e);
                case "track" -> add(e, "src", ResourceKind.MEDIA, false, e.hasAttr("default") ? "eager" : "lazy");
                case "object" -> add(e, "data", ResourceKind.OBJECT, false, "eager");
                case "embed" -> add(e, "src", ResourceKind.OBJECT, false, "eager");
                case "meta" -> refresh(e);
                default -> {}
            }
            if (e.hasAttr("style")) {
                String css = capped(e.attr("style"));
                CssExtractor.scan(
                        css,
                        base,
                        CssExtractor.Mode.DECLARATIONS,
                        false,
                        inHead(),
                        "<" + e.normalName() + " style> ",
                        out);
            }
        }

        private boolean inHead() {
            return headDepth > 0;
        }

        /**
         * Whether an element that would block rendering really does: nothing inside {@code <noscript>} does, because a
         * browser with scripting on treats its content as text, and one with scripting off is not what we model.
         */
        private boolean blocks(boolean wouldBlock) {
            return wouldBlock && noscriptDepth == 0;
        }

        private void base(Element e) {
            // Informational: the base is not fetched, but it decides where every relative URL points.
            if (baseElement.isPresent() && baseElement.get() == e) {
                baseHref.ifPresent(url -> out.add(resource(url, ResourceKind.BASE, false, "hint", e)));
            }
        }

        private void script(Element e) {
            // A script inside noscript never runs: browsers with scripting on do not parse it, others do not run it.
            if (noscriptDepth > 0) {
                return;
            }
            String type = e.attr("type").strip().toLowerCase(Locale.ROOT);
            int semicolon = type.indexOf(';');
            String essence = semicolon < 0 ? type : type.substring(0, semicolon).strip();
            boolean hasSrc = e.hasAttr("src");
            boolean renderBlocking = hasRenderBlockingToken(e);
            if (essence.isEmpty() || JAVASCRIPT_TYPES.contains(essence)) {
                if (!hasSrc) {
                    inlineScript(e);
                } else if (e.hasAttr("nomodule")) {
                    // Browsers that know modules skip nomodule scripts entirely; only legacy browsers fetch them.
                    add(e, "src", ResourceKind.SCRIPT, false, "nomodule");
                } else if (e.hasAttr("async")) {
                    add(e, "src", ResourceKind.SCRIPT, renderBlocking, "async");
                } else if (e.hasAttr("defer")) {
                    add(e, "src", ResourceKind.SCRIPT, renderBlocking, "defer");
                } else {
                    // A parser-blocking script: in the body it still holds back everything after it, so it counts.
                    add(e, "src", ResourceKind.SCRIPT, true, "blocking");
                }
            } else if (essence.equals("module")) {
                if (!hasSrc) {
                    inlineScript(e);
                } else {
                    // Module scripts are deferred by default; async makes them run as soon as they arrive.
                    add(e, "src", ResourceKind.MODULE_SCRIPT, renderBlocking, e.hasAttr("async") ? "async" : "module");
                }
            } else if (essence.equals("importmap")) {
                // An import map names the URLs modules will be fetched from: weak evidence, like inline script text.
                inlineScript(e);
            } else if (essence.contains("json") || essence.equals("speculationrules")) {
                // Data, not code: JSON-LD names schema vocabularies and pages, which the browser never fetches.
                return;
            } else if (hasSrc) {
                // An unknown type is not run by the browser; loaders such as Cloudflare's Rocket Loader rewrite script
                // types and fetch them after parsing, in order, so it is a dependency that loads like a deferred one.
                add(e, "src", ResourceKind.SCRIPT, false, "defer");
            }
        }

        private void inlineScript(Element e) {
            String text = capped(e.data());
            Matcher m = URL_LITERAL.matcher(text);
            while (m.find()) {
                String literal = m.group(1).replace("\\/", "/");
                int backslash = literal.indexOf('\\');
                if (backslash >= 0) {
                    // Other escapes (\u0026 and the like) only occur after the host: the host is what counts.
                    literal = literal.substring(0, backslash);
                }
                Optional<URI> url = resolve(base, literal);
                if (url.isEmpty() || IDENTIFIER_HOSTS.contains(url.get().getHost())) {
                    continue;
                }
                int from = Math.max(0, m.start() - INLINE_CONTEXT_CHARS);
                String context = text.substring(from, m.end()).replaceAll("\\s+", " ");
                String evidence = "<script>" + (from > 0 ? "…" : " ") + context + (m.end() < text.length() ? "…" : "");
                // Loader snippets (tag managers, analytics, pixels) insert their script with async set, so the
                // reference never blocks rendering; and it is only inferred, since the code may never run that path.
                out.add(resource(url.get(), ResourceKind.INLINE_REFERENCE, false, "inferred", false, evidence));
            }
        }

        private void link(Element e) {
            Set<String> rel = tokens(e.attr("rel"));
            if (rel.contains("stylesheet")) {
                // An alternate stylesheet, a disabled one or one whose media does not match every screen is fetched
                // at low priority without holding back rendering; the media=print + onload trick relies on this.
                boolean wouldBlock = (!rel.contains("alternate")
                                && !e.hasAttr("disabled")
                                && mediaMatchesAllScreens(e.attr("media")))
                        || hasRenderBlockingToken(e);
                boolean blocking = blocks(wouldBlock);
                add(e, "href", ResourceKind.STYLESHEET, blocking, blocking ? "blocking" : "deferred-css");
            }
            if (rel.contains("preload")) {
                add(e, "href", ResourceKind.PRELOAD, false, "hint");
                srcset(e, "imagesrcset", ResourceKind.PRELOAD, "hint");
            }
            if (rel.contains("modulepreload")) {
                add(e, "href", ResourceKind.MODULEPRELOAD, false, "hint");
            }
            if (rel.contains("prefetch") || rel.contains("prerender")) {
                add(e, "href", ResourceKind.PREFETCH, false, "hint");
            }
            if (rel.contains("manifest")) {
                // The manifest is fetched in the background, if at all (for install prompts), and never blocks:
                // the closest kind is a prefetch-like hint.
                add(e, "href", ResourceKind.PREFETCH, false, "hint");
            }
            if (rel.contains("preconnect")) {
                add(e, "href", ResourceKind.PRECONNECT, false, "hint");
            }
            if (rel.contains("dns-prefetch")) {
                add(e, "href", ResourceKind.DNS_PREFETCH, false, "hint");
            }
            if (rel.contains("icon")
                    || rel.contains("apple-touch-icon")
                    || rel.contains("apple-touch-icon-precomposed")
                    || rel.contains("mask-icon")) {
                add(e, "href", ResourceKind.IMAGE, false, "eager");
            }
        }

        private void style(Element e) {
            String type = e.attr("type").strip();
            if (!type.isEmpty() && !type.equalsIgnoreCase("text/css")) {
                return;
            }
            // The block itself is not fetched, but its @imports block rendering exactly when a stylesheet link would.
            boolean blocking = blocks(mediaMatchesAllScreens(e.attr("media")) || hasRenderBlockingToken(e));
            CssExtractor.scan(
                    capped(e.data()), base, CssExtractor.Mode.STYLESHEET, blocking, inHead(), "<style> ", out);
        }

        private void image(Element e, String srcAttribute, String srcsetAttribute, String loading) {
            add(e, srcAttribute, ResourceKind.IMAGE, false, loading);
            if (srcsetAttribute != null) {
                srcset(e, srcsetAttribute, ResourceKind.IMAGE, loading);
            }
        }

        private void source(Element e) {
            Element parent = e.parent();
            if (parent != null && parent.normalName().equals("picture")) {
                // The picture's img carries loading=lazy for whichever source the browser picks.
                Element img = parent.selectFirst("> img");
                srcset(e, "srcset", ResourceKind.IMAGE, img == null ? "eager" : loadingAttribute(img));
            } else {
                add(e, "src", ResourceKind.MEDIA, false, parent == null ? "eager" : mediaLoading(parent));
            }
        }

        private void media(Element e) {
            add(e, "src", ResourceKind.MEDIA, false, mediaLoading(e));
            if (e.normalName().equals("video")) {
                // The poster is shown before playback, so it is fetched whatever preload says.
                add(e, "poster", ResourceKind.MEDIA, false, "eager");
            }
        }

        /** preload=none without autoplay fetches nothing until the user presses play. */
        private static String mediaLoading(Element media) {
            boolean none = media.attr("preload").strip().equalsIgnoreCase("none");
            return none && !media.hasAttr("autoplay") ? "lazy" : "eager";
        }

        private void refresh(Element e) {
            if (!e.attr("http-equiv").strip().equalsIgnoreCase("refresh")) {
                return;
            }
            refreshTarget(e.attr("content"))
                    .flatMap(target -> resolve(base, target))
                    .ifPresent(url -> out.add(resource(url, ResourceKind.REFRESH, false, "eager", false, startTag(e))));
        }

        private void srcset(Element e, String attribute, ResourceKind kind, String loading) {
            if (!e.hasAttr(attribute)) {
                return;
            }
            for (String candidate : srcsetUrls(e.attr(attribute))) {
                resolve(base, candidate).ifPresent(url -> out.add(resource(url, kind, false, loading, e)));
            }
        }

        private void add(Element e, String attribute, ResourceKind kind, boolean blocking, String loading) {
            if (!e.hasAttr(attribute)) {
                return;
            }
            resolve(base, e.attr(attribute)).ifPresent(url -> out.add(resource(url, kind, blocking, loading, e)));
        }

        private PageResource resource(URI url, ResourceKind kind, boolean blocking, String loading, Element e) {
            boolean integrity = !e.attr("integrity").isBlank();
            return resource(url, kind, blocking, loading, integrity, startTag(e));
        }

        private PageResource resource(
                URI url, ResourceKind kind, boolean blocking, String loading, boolean integrity, String evidence) {
            return new PageResource(
                    url,
                    url.getHost(),
                    kind,
                    blocking,
                    loading,
                    inHead(),
                    integrity,
                    kind == ResourceKind.INLINE_REFERENCE,
                    evidence);
        }

        private String capped(String text) {
            if (text.length() <= limits.maxInlineChars()) {
                return text;
            }
            out.markTruncated();
            return text.substring(0, limits.maxInlineChars());
        }
    }

    private static String loadingAttribute(Element e) {
        return e.attr("loading").strip().equalsIgnoreCase("lazy") ? "lazy" : "eager";
    }

    /** {@code blocking="render"} makes even an async script or a non-matching stylesheet block rendering. */
    private static boolean hasRenderBlockingToken(Element e) {
        return tokens(e.attr("blocking")).contains("render");
    }

    /** The ASCII-whitespace-separated tokens of an attribute, lower case (rel and blocking are case-insensitive). */
    static Set<String> tokens(String value) {
        String trimmed = value.strip().toLowerCase(Locale.ROOT);
        return trimmed.isEmpty() ? Set.of() : Set.copyOf(List.of(trimmed.split("\\s+")));
    }

    /**
     * Whether a media query list matches every screen, so that a stylesheet with it blocks rendering everywhere. Only
     * the media types {@code all} and {@code screen} (optionally with {@code only}) and negated other types such as
     * {@code not print} do; a query with features such as {@code (max-width: 600px)} matches only some screens, and
     * browsers do not block rendering on a stylesheet whose media does not match.
     */
    static boolean mediaMatchesAllScreens(String media) {
        String list = media.strip().toLowerCase(Locale.ROOT);
        if (list.isEmpty()) {
            return true;
        }
        for (String raw : list.split(",")) {
            String query = raw.strip().replaceAll("\\s+", " ");
            if (query.startsWith("only ")) {
                query = query.substring("only ".length());
            }
            if (query.equals("all") || query.equals("screen")) {
                return true;
            }
            if (query.startsWith("not ")) {
                String type = query.substring("not ".length());
                if (type.matches("[a-z-]+") && !type.equals("all") && !type.equals("screen")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The URL part of a refresh {@code content} such as {@code 0; url='https://x'}, following the HTML standard's
     * lenient parse: digits and dots, then {@code ;} or {@code ,}, then an optional {@code url=}, then an optionally
     * quoted URL. Empty when there is no URL (a plain reload) or the time is missing.
     */
    static Optional<String> refreshTarget(String content) {
        String s = content;
        int i = skipWhitespace(s, 0);
        int timeStart = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == timeStart) {
            return Optional.empty();
        }
        i = skipWhitespace(s, i);
        if (i < s.length() && (s.charAt(i) == ';' || s.charAt(i) == ',')) {
            i = skipWhitespace(s, i + 1);
        }
        if (s.regionMatches(true, i, "url", 0, 3)) {
            int j = skipWhitespace(s, i + 3);
            if (j < s.length() && s.charAt(j) == '=') {
                i = skipWhitespace(s, j + 1);
            }
        }
        if (i >= s.length()) {
            return Optional.empty();
        }
        char quote = s.charAt(i);
        String url;
        if (quote == '"' || quote == '\'') {
            int end = s.indexOf(quote, i + 1);
            url = end < 0 ? s.substring(i + 1) : s.substring(i + 1, end);
        } else {
            url = s.substring(i);
        }
        url = url.strip();
        return url.isEmpty() ? Optional.empty() : Optional.of(url);
    }

    private static int skipWhitespace(String s, int from) {
        int i = from;
        while (i < s.length() && isAsciiWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    /**
     * The candidate URLs of a {@code srcset}, following the HTML standard's parse: a URL is a run of non-whitespace
     * (trailing commas end the candidate), then descriptors up to a comma outside parentheses.
     */
    static List<String> srcsetUrls(String srcset) {
        List<String> urls = new ArrayList<>();
        int n = srcset.length();
        int i = 0;
        while (i < n) {
            while (i < n && (isAsciiWhitespace(srcset.charAt(i)) || srcset.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && !isAsciiWhitespace(srcset.charAt(i))) {
                i++;
            }
            String url = srcset.substring(start, i);
            if (url.endsWith(",")) {
                urls.add(url.replaceAll(",+$", ""));
                continue;
            }
            urls.add(url);
            int depth = 0;
            while (i < n && (srcset.charAt(i) != ',' || depth > 0)) {
                char c = srcset.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && depth > 0) {
                    depth--;
                }
                i++;
            }
        }
        return urls;
    }

    /**
     * A start tag for evidence: the element's name and attributes, each value cut to a readable length, so that the
     * important attributes after a long URL (async, integrity) still show.
     */
    static String startTag(Element e) {
        StringBuilder tag = new StringBuilder("<").append(e.normalName());
        for (Attribute a : e.attributes()) {
            tag.append(' ').append(a.getKey());
            String value = a.getValue();
            if (!value.isEmpty()) {
                String shown = PageResource.truncate(value.replaceAll("\\s+", " "), MAX_ATTRIBUTE_EVIDENCE_CHARS);
                tag.append("=\"").append(shown.replace("\"", "&quot;")).append('"');
            }
        }
        return tag.append('>').toString();
    }

    /**
     * Resolves a URL as written in markup or CSS against {@code base}, leniently as browsers do: surrounding
     * whitespace and embedded tabs and newlines are dropped, characters that {@link URI} rejects are percent-encoded,
     * the fragment (never sent to the server) is dropped, the host is converted to lower-case ASCII (IDNA), the
     * default port is dropped. Empty unless the result is an http or https URL with a host: data:, javascript:, blob:,
     * mailto:, about: and fragment-only references load nothing from the network.
     */
    static Optional<URI> resolve(URI base, String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.strip().replaceAll("[\\t\\n\\r]", "");
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Matcher scheme = SCHEME.matcher(s);
        if (scheme.find()) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            if (!name.equals("http") && !name.equals("https")) {
                return Optional.empty();
            }
        }
        try {
            URI reference = new URI(encodeLeniently(s));
            URI absolute;
            if (reference.isAbsolute()) {
                absolute = reference;
            } else {
                if (base == null || !base.isAbsolute() || base.isOpaque() || base.getRawAuthority() == null) {
                    return Optional.empty();
                }
                absolute = resolveRelative(base, reference);
            }
            return normalise(absolute);
        } catch (URISyntaxException | IllegalArgumentException e) {
            // A URL the browser would reject too (or that we cannot represent): it loads nothing we can name.
            return Optional.empty();
        }
    }

    private static URI resolveRelative(URI base, URI reference) throws URISyntaxException {
        String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        String raw = reference.toString();
        if (raw.startsWith("?")) {
            // RFC 3986 keeps the base path for a query-only reference; java.net.URI follows RFC 2396 and drops it.
            return new URI(base.getScheme() + "://" + base.getRawAuthority() + basePath + raw);
        }
        // java.net.URI resolves "x" against "http://host" (empty path) to "http://hostx": give the base its root.
        URI rooted = new URI(base.getScheme() + "://" + base.getRawAuthority() + basePath
                + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()));
        return rooted.resolve(reference);
    }

    private static Optional<URI> normalise(URI absolute) throws URISyntaxException {
        String scheme = absolute.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        String authority = absolute.getRawAuthority();
        if (authority == null || absolute.isOpaque()) {
            return Optional.empty();
        }
        // Parse the authority by hand: java.net.URI gives no host for names with underscores or non-ASCII letters.
        int at = authority.lastIndexOf('@');
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        String host = hostPort;
        int port = -1;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
            host = hostPort.substring(0, colon);
            String digits = hostPort.substring(colon + 1);
            if (!digits.isEmpty()) {
                if (!digits.matches("[0-9]{1,5}")) {
                    return Optional.empty();
                }
                port = Integer.parseInt(digits);
                if (port > 65_535) {
                    return Optional.empty();
                }
            }
        }
        Optional<String> asciiHost = asciiHost(host);
        if (asciiHost.isEmpty()) {
            return Optional.empty();
        }
        int defaultPort = scheme.equals("http") ? 80 : 443;
        String path = absolute.getRawPath() == null || absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
        // java.net.URI keeps ".." segments that climb above the root; browsers drop them.
        while (path.startsWith("/../")) {
            path = path.substring(3);
        }
        if (path.equals("/..")) {
            path = "/";
        }
        String url = scheme + "://" + asciiHost.get() + (port < 0 || port == defaultPort ? "" : ":" + port) + path
                + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
        return Optional.of(new URI(new URI(url).toASCIIString()));
    }

    private static Optional<String> asciiHost(String host) {
        if (host.isEmpty()) {
            return Optional.empty();
        }
        if (host.startsWith("[")) {
            return host.endsWith("]") ? Optional.of(host.toLowerCase(Locale.ROOT)) : Optional.empty();
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty()) {
            return Optional.empty();
        }
        boolean ascii = name.chars().allMatch(c -> c < 0x80);
        if (ascii) {
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.matches("[a-z0-9_.-]+") && !lower.contains("..") ? Optional.of(lower) : Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToASCII(name, out, info);
        return info.hasErrors() ? Optional.empty() : Optional.of(out.toString());
    }

    /**
     * Percent-encodes what {@link URI} rejects but browsers accept: spaces, quotes, angle and curly brackets, pipes,
     * carets, backticks, stray percent signs, controls and non-ASCII characters outside the host (which stays for
     * IDNA). Backslashes before the query become slashes, as browsers treat them for http and https.
     */
    private static String encodeLeniently(String s) {
        int query = s.indexOf('?');
        int authorityStart = -1;
        int authorityEnd = -1;
        int slashes = s.indexOf("//");
        if (slashes >= 0 && (slashes == 0 || s.substring(0, slashes).matches("[A-Za-z][A-Za-z0-9+.-]*:"))) {
            authorityStart = slashes + 2;
            authorityEnd = authorityStart;
            while (authorityEnd < s.length() && "/\\?".indexOf(s.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean inAuthority = i >= authorityStart && i < authorityEnd;
            boolean beforeQuery = query < 0 || i < query;
            if (c == '\\' && beforeQuery) {
                out.append('/');
            } else if (c == '%') {
                boolean escape = i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2));
                out.append(escape ? "%" : "%25");
            } else if (c >= 0x80 && inAuthority) {
                out.append(c);
            } else if (c < 0x21
                    || c >= 0x7f
                    || "\"<>\\^`{|}".indexOf(c) >= 0
                    || ((c == '[' || c == ']') && !inAuthority)) {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
                }
                i = end - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * Keeps resources in order of first reference, one per (URL, kind), the most blocking one winning, and at most a
     * fixed number of them; records when anything was dropped or left unread.
     */
    static final class Collector {
        private record Key(URI url, ResourceKind kind) {}

        private final int max;
        private final Map<Key, PageResource> byKey = new LinkedHashMap<>();
        private boolean truncated;

        Collector(ExtractionLimits limits) {
            this.max = limits.maxResources();
        }

        void add(PageResource resource) {
            Key key = new Key(resource.url(), resource.kind());
            PageResource existing = byKey.get(key);
            if (existing != null) {
                if (resource.blocking() && !existing.blocking()) {
                    byKey.put(key, resource);
                }
            } else if (byKey.size() >= max) {
                truncated = true;
            } else {
                byKey.put(key, resource);
            }
        }

        void markTruncated() {
            truncated = true;
        }

        List<PageResource> resources() {
            return List.copyOf(byKey.values());
        }

        boolean truncated() {
            return truncated;
        }
    }
}
