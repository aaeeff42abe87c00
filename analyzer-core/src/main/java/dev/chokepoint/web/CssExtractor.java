package dev.chokepoint.web;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Extracts the resources a stylesheet references: {@code @import}s, fonts ({@code url()} inside {@code @font-face})
 * and every other {@code url()}; pure and network-free, and it never throws on bad CSS.
 *
 * <p>This is a tokenizer after CSS Syntax Level 3 (comments, strings, escapes, {@code url()} tokens, blocks), not a
 * full parser: it needs to know only where a URL is and which block it is in. So it sees URLs in any property,
 * including custom properties, and inside any block, including at-rules it does not know ({@code @container},
 * {@code @layer}) and nested style rules; and, as browsers do, it recovers from garbage at the next block or statement.
 * Like a browser it ignores an {@code @import} that follows a rule other than {@code @charset}, {@code @layer} or
 * another {@code @import}, and URLs in other at-rule preludes such as {@code @namespace}, which are never fetched.
 */
public final class CssExtractor {

    /** Whether the text is a whole stylesheet or the declarations of a {@code style} attribute. */
    enum Mode {
        STYLESHEET,
        DECLARATIONS
    }

    private CssExtractor() {}

    /**
     * Extracts the resources of the stylesheet {@code css}, served from {@code stylesheetUrl}, against which relative
     * URLs resolve. Its {@code @import}s block rendering exactly when the stylesheet does ({@code
     * stylesheetBlocking}). At most {@link ExtractionLimits#defaults()}'s number of resources are kept.
     */
    public static List<PageResource> extract(String css, URI stylesheetUrl, boolean stylesheetBlocking) {
        return extract(css, stylesheetUrl, stylesheetBlocking, ExtractionLimits.defaults())
                .resources();
    }

    /**
     * Extracts the resources of the stylesheet {@code css} as {@link #extract(String, URI, boolean)} does, keeping at
     * most {@code limits.maxResources()} of them and saying whether more were dropped.
     */
    public static ResourceExtractor.Extraction extract(
            String css, URI stylesheetUrl, boolean stylesheetBlocking, ExtractionLimits limits) {
        Objects.requireNonNull(stylesheetUrl, "stylesheetUrl");
        ResourceExtractor.Collector out = new ResourceExtractor.Collector(limits);
        scan(css == null ? "" : css, stylesheetUrl, Mode.STYLESHEET, stylesheetBlocking, false, "", out);
        return new ResourceExtractor.Extraction(out.resources(), out.truncated(), Optional.empty());
    }

    /**
     * Scans {@code css} and adds what it references to {@code out}; also used for inline {@code <style>} blocks and
     * {@code style} attributes, which resolve against the document's base.
     */
    static void scan(
            String css,
            URI base,
            Mode mode,
            boolean blocking,
            boolean inHead,
            String evidencePrefix,
            ResourceExtractor.Collector out) {
        new Scanner(css, base, mode, blocking, inHead, evidencePrefix, out).run();
    }

    /** One pass over the text. Every index stays within bounds by construction; nothing in here throws. */
    private static final class Scanner {
        private final String css;
        private final int n;
        private final URI base;
        private final Mode mode;
        private final boolean blocking;
        private final boolean inHead;
        private final String evidencePrefix;
        private final ResourceExtractor.Collector out;

        private int i;
        /** Open blocks, innermost first: whether each is (or is inside) an {@code @font-face}. */
        private final Deque<Boolean> blocks = new ArrayDeque<>();
        /** Open functions and parentheses, innermost first: the lower-case function name, or "" for a bare one. */
        private final Deque<String> functions = new ArrayDeque<>();
        /** Start offsets of the open functions, for evidence. */
        private final Deque<Integer> functionStarts = new ArrayDeque<>();
        /** The at-rule whose prelude is being read, lower case, or null in a declaration or qualified rule. */
        private String atRule;
        /** Whether an {@code @import} may still appear: only at the start of a stylesheet. */
        private boolean importsAllowed;
        /** Whether the current {@code @import} is valid and its URL not seen yet. */
        private boolean importPending;

        private String lastIdent;
        private String property;

        Scanner(
                String css,
                URI base,
                Mode mode,
                boolean blocking,
                boolean inHead,
                String evidencePrefix,
                ResourceExtractor.Collector out) {
            this.css = css;
            this.n = css.length();
            this.base = base;
            this.mode = mode;
            this.blocking = blocking;
            this.inHead = inHead;
            this.evidencePrefix = evidencePrefix;
            this.out = out;
            this.importsAllowed = mode == Mode.STYLESHEET;
        }

        void run() {
            while (i < n) {
                char c = css.charAt(i);
                if (c == '/' && at(i + 1) == '*') {
                    int end = css.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 2;
                } else if (c == '"' || c == '\'') {
                    int start = i;
                    String value = string(c);
                    if (value != null) {
                        stringToken(value, start);
                    }
                } else if (startsIdentifier(i)) {
                    int start = i;
                    String name = name();
                    if (at(i) == '(') {
                        i++;
                        if (name.equalsIgnoreCase("url")) {
                            urlFunction(start);
                        } else {
                            open(name.toLowerCase(Locale.ROOT), start);
                        }
                    } else {
                        lastIdent = name;
                    }
                } else if (c == '@' && startsIdentifier(i + 1)) {
                    i++;
                    atKeyword(name().toLowerCase(Locale.ROOT));
                } else if (c == '(') {
                    open("", i);
                    i++;
                } else if (c == ')') {
                    if (!functions.isEmpty()) {
                        functions.pop();
                        functionStarts.pop();
                    }
                    i++;
                } else if (c == '{') {
                    openBlock();
                    i++;
                } else if (c == '}') {
                    if (!blocks.isEmpty()) {
                        blocks.pop();
                    }
                    endStatement();
                    i++;
                } else if (c == ';') {
                    endStatement();
                    i++;
                } else if (c == ':') {
                    if (property == null && atRule == null && lastIdent != null) {
                        property = lastIdent;
                    }
                    i++;
                } else if (c == '\\') {
                    // A stray escape (a valid one starts an identifier above): skip it and the escaped character.
                    i += 2;
                } else {
                    i++;
                }
            }
        }

        private char at(int index) {
            return index < n ? css.charAt(index) : '\0';
        }

        private void open(String name, int start) {
            functions.push(name);
            functionStarts.push(start);
        }

        private void atKeyword(String name) {
            atRule = name;
            importPending = false;
            boolean topLevel = blocks.isEmpty();
            if (name.equals("import")) {
                importPending = importsAllowed && topLevel;
            } else if (topLevel && !name.equals("charset") && !name.equals("layer")) {
                // @namespace, @media, @font-face…: after any of these an @import is invalid (CSS Cascade 5).
                importsAllowed = false;
            }
        }

        private void openBlock() {
            boolean fontFace = "font-face".equals(atRule) || Boolean.TRUE.equals(blocks.peek());
            if (blocks.isEmpty()) {
                // A block at the top level is a rule (or @layer/@media block): no @import may follow.
                importsAllowed = false;
            }
            blocks.push(fontFace);
            endStatement();
        }

        private void endStatement() {
            atRule = null;
            importPending = false;
            property = null;
            lastIdent = null;
            functions.clear();
            functionStarts.clear();
        }

        /** A string token outside {@code url(}: a URL only as the target of {@code @import} or in {@code image-set()}. */
        private void stringToken(String value, int start) {
            String function = functions.peek();
            if (importPending && (function == null || function.equals("url"))) {
                importPending = false;
                emitImport(
                        value,
                        function == null ? css.substring(start, i) : css.substring(functionStarts.peek(), i) + ")");
            } else if ("url".equals(function)) {
                // url("x") is a function token holding a string; the string is the URL.
                emitUrl(value, css.substring(functionStarts.peek(), i) + ")");
            } else if ("image-set".equals(function) || "-webkit-image-set".equals(function)) {
                // image-set("a.png" 1x, "b.png" 2x) takes bare strings as URLs.
                emitUrl(value, function + "(" + css.substring(start, i) + " …)");
            }
        }

        /** After {@code url(}: either a quoted URL (a function, handled as a string) or an unquoted url token. */
        private void urlFunction(int start) {
            int j = i;
            while (j < n && isWhitespace(css.charAt(j))) {
                j++;
            }
            if (j < n && (css.charAt(j) == '"' || css.charAt(j) == '\'')) {
                open("url", start);
                i = j;
                return;
            }
            i = j;
            String value = urlToken();
            if (value == null) {
                return;
            }
            String raw = css.substring(start, i);
            if (importPending && functions.isEmpty()) {
                importPending = false;
                emitImport(value, raw);
            } else {
                emitUrl(value, raw);
            }
        }

        private void emitImport(String value, String raw) {
            ResourceExtractor.resolve(base, value)
                    .ifPresent(url -> out.add(resource(
                            url,
                            ResourceKind.CSS_IMPORT,
                            blocking,
                            blocking ? "blocking" : "deferred-css",
                            "@import " + raw)));
        }

        private void emitUrl(String value, String raw) {
            // Only a declaration's value is fetched: not URLs in at-rule preludes (@namespace, @document), in
            // selectors, or in garbage that is not a declaration (no "property:" before it), which browsers drop.
            if (atRule != null || property == null || (blocks.isEmpty() && mode == Mode.STYLESHEET)) {
                return;
            }
            boolean font = Boolean.TRUE.equals(blocks.peek());
            String declaration = property == null ? raw : property + ": " + raw;
            // Fonts never block rendering as a whole: text waits for them briefly (font-display: block is at most about
            // three seconds) and then shows in a fallback font, so a missing font costs looks, not the page.
            ResourceExtractor.resolve(base, value)
                    .ifPresent(url -> out.add(resource(
                            url,
                            font ? ResourceKind.FONT : ResourceKind.CSS_URL,
                            false,
                            "eager",
                            font ? "@font-face " + declaration : declaration)));
        }

        private PageResource resource(URI url, ResourceKind kind, boolean blocks, String loading, String evidence) {
            return new PageResource(
                    url,
                    url.getHost(),
                    kind,
                    blocks,
                    loading,
                    inHead,
                    false,
                    false,
                    evidencePrefix + evidence.replaceAll("\\s+", " "));
        }

        /**
         * Consumes a string opened by {@code quote} at {@code i}; null for a bad string (an unescaped newline), which
         * browsers drop.
         */
        private String string(char quote) {
            StringBuilder value = new StringBuilder();
            i++;
            while (i < n) {
                char c = css.charAt(i);
                if (c == quote) {
                    i++;
                    return value.toString();
                } else if (c == '\n' || c == '\r' || c == '\f') {
                    return null;
                } else if (c == '\\') {
                    char next = at(i + 1);
                    if (i + 1 >= n) {
                        i++;
                    } else if (next == '\n' || next == '\f') {
                        i += 2;
                    } else if (next == '\r') {
                        i += at(i + 2) == '\n' ? 3 : 2;
                    } else {
                        i++;
                        value.appendCodePoint(escape());
                    }
                } else {
                    value.append(c);
                    i++;
                }
            }
            // End of input closes the string (a parse error, but the string stands).
            return value.toString();
        }

        /** Consumes an unquoted url token up to {@code )}; null for a bad url, after skipping its remnants. */
        private String urlToken() {
            StringBuilder value = new StringBuilder();
            while (i < n) {
                char c = css.charAt(i);
                if (c == ')') {
                    i++;
                    return value.toString();
                } else if (isWhitespace(c)) {
                    while (i < n && isWhitespace(css.charAt(i))) {
                        i++;
                    }
                    if (i >= n || css.charAt(i) == ')') {
                        i = Math.min(n, i + 1);
                        return value.toString();
                    }
                    badUrlRemnants();
                    return null;
                } else if (c == '"' || c == '\'' || c == '(' || isNonPrintable(c)) {
                    badUrlRemnants();
                    return null;
                } else if (c == '\\') {
                    if (isValidEscape(i)) {
                        i++;
                        value.appendCodePoint(escape());
                    } else {
                        badUrlRemnants();
                        return null;
                    }
                } else {
                    value.append(c);
                    i++;
                }
            }
            return value.toString();
        }

        private void badUrlRemnants() {
            while (i < n) {
                char c = css.charAt(i);
                if (c == ')') {
                    i++;
                    return;
                }
                i += isValidEscape(i) ? 2 : 1;
            }
        }

        /** Consumes an identifier (with escapes) starting at {@code i}. */
        private String name() {
            StringBuilder name = new StringBuilder();
            while (i < n) {
                char c = css.charAt(i);
                if (isNameChar(c)) {
                    name.append(c);
                    i++;
                } else if (isValidEscape(i)) {
                    i++;
                    name.appendCodePoint(escape());
                } else {
                    break;
                }
            }
            return name.toString();
        }

        /** Consumes an escape whose backslash is just before {@code i}: up to six hex digits, or one character. */
        private int escape() {
            if (i >= n) {
                return 0xFFFD;
            }
            char c = css.charAt(i);
            if (Character.digit(c, 16) < 0) {
                int codePoint = css.codePointAt(i);
                i += Character.charCount(codePoint);
                return codePoint;
            }
            int value = 0;
            int digits = 0;
            while (i < n && digits < 6 && Character.digit(css.charAt(i), 16) >= 0) {
                value = value * 16 + Character.digit(css.charAt(i), 16);
                i++;
                digits++;
            }
            if (i < n && isWhitespace(css.charAt(i))) {
                i += css.charAt(i) == '\r' && at(i + 1) == '\n' ? 2 : 1;
            }
            boolean invalid = value == 0 || value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF);
            return invalid ? 0xFFFD : value;
        }

        private boolean isValidEscape(int index) {
            return index < n && css.charAt(index) == '\\' && index + 1 < n && !isNewline(css.charAt(index + 1));
        }

        /** CSS Syntax "would start an identifier" at {@code index}. */
        private boolean startsIdentifier(int index) {
            if (index >= n) {
                return false;
            }
            char c = css.charAt(index);
            if (c == '-') {
                char next = at(index + 1);
                return next == '-' || isNameStart(next) || isValidEscape(index + 1);
            }
            return isNameStart(c) || isValidEscape(index);
        }

        private static boolean isNameStart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
        }

        private static boolean isNameChar(char c) {
            return isNameStart(c) || (c >= '0' && c <= '9') || c == '-';
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || isNewline(c);
        }

        private static boolean isNewline(char c) {
            return c == '\n' || c == '\r' || c == '\f';
        }

        private static boolean isNonPrintable(char c) {
            return (c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F;
        }
    }
}
