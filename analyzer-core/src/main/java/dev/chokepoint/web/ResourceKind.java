package dev.chokepoint.web;

import java.util.Locale;

/** What kind of reference a page makes to an external resource, and so how the browser treats it. */
public enum ResourceKind {
    /** A classic {@code <script src>}. */
    SCRIPT,
    /** A {@code <script type="module" src>}. */
    MODULE_SCRIPT,
    /** A {@code <link rel="stylesheet">}. */
    STYLESHEET,
    /** An {@code @import} in a stylesheet or an inline {@code <style>}. */
    CSS_IMPORT,
    /** A {@code url()} inside an {@code @font-face} rule. */
    FONT,
    /** Any other {@code url()} in CSS: backgrounds, cursors, masks, {@code image-set()}. */
    CSS_URL,
    /** A {@code <link rel="preload">}; its {@code as} is kept in the evidence. */
    PRELOAD,
    /** A {@code <link rel="modulepreload">}. */
    MODULEPRELOAD,
    /** A {@code <link rel="prefetch">} or {@code "prerender"}, and the web app {@code manifest}. */
    PREFETCH,
    /** A {@code <link rel="preconnect">}: a connection is opened, nothing is fetched. */
    PRECONNECT,
    /** A {@code <link rel="dns-prefetch">}: only the name is resolved. */
    DNS_PREFETCH,
    /** An {@code <iframe src>} or {@code <frame src>}. */
    IFRAME,
    /** An image: {@code <img>} src and srcset, {@code <picture><source srcset>}, icons, {@code <input type=image>}. */
    IMAGE,
    /** Video and audio: their src, {@code <source src>}, {@code <track src>} and the video poster. */
    MEDIA,
    /** An {@code <object data>} or {@code <embed src>}. */
    OBJECT,
    /** The target of {@code <meta http-equiv="refresh">}: the page navigates there. */
    REFRESH,
    /** The {@code <base href>} itself: it is not fetched, but every relative URL of the page resolves against it. */
    BASE,
    /** A URL named in a string literal of an inline script: weaker evidence, the script may or may not load it. */
    INLINE_REFERENCE;

    /** The lower-case, hyphenated name used in JSON, for example {@code dns-prefetch}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
