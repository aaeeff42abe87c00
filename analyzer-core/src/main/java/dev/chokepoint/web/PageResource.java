package dev.chokepoint.web;

import java.net.URI;
import java.util.Objects;

/**
 * One external resource a page references, with how the browser loads it.
 *
 * @param url the absolute http or https URL, without fragment, with an ASCII (punycode) lower-case host
 * @param host the URL's host, lower case, ASCII
 * @param kind what kind of reference it is
 * @param blocking whether the page does not render until it has loaded
 * @param loading one short word for how it loads: {@code blocking}, {@code async}, {@code defer}, {@code module},
 *     {@code nomodule}, {@code lazy}, {@code eager}, {@code hint}, {@code deferred-css} or {@code inferred}
 * @param inHead whether the referencing element is inside {@code <head>}
 * @param integrity whether the element carries a non-empty {@code integrity} attribute (Subresource Integrity)
 * @param inferred whether the reference was only inferred from inline script text; true exactly for {@link
 *     ResourceKind#INLINE_REFERENCE}
 * @param evidence a short snippet of the markup or CSS that references it, for explanations
 */
public record PageResource(
        URI url,
        String host,
        ResourceKind kind,
        boolean blocking,
        String loading,
        boolean inHead,
        boolean integrity,
        boolean inferred,
        String evidence) {

    /** Longest evidence snippet kept; longer ones end in an ellipsis. */
    public static final int MAX_EVIDENCE_CHARS = 160;

    /** Checks the fields and caps the evidence at {@link #MAX_EVIDENCE_CHARS} characters. */
    public PageResource {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(loading, "loading");
        Objects.requireNonNull(evidence, "evidence");
        if (inferred != (kind == ResourceKind.INLINE_REFERENCE)) {
            throw new IllegalArgumentException("only inline references are inferred: " + kind + " " + inferred);
        }
        evidence = truncate(evidence, MAX_EVIDENCE_CHARS);
    }

    /** {@code text} cut to at most {@code max} characters, ending in an ellipsis when it was cut. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        // Never split a surrogate pair: half a character would print as garbage.
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
