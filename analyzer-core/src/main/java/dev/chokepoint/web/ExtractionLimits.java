package dev.chokepoint.web;

/**
 * Bounds on what resource extraction keeps and reads, so that a hostile or huge page cannot exhaust memory or time.
 *
 * @param maxResources the most distinct resources kept; more are dropped and the extraction reports truncation
 * @param maxInlineChars the most characters read of one inline script, {@code <style>} block or {@code style}
 *     attribute; the rest is not scanned and the extraction reports truncation
 */
public record ExtractionLimits(int maxResources, int maxInlineChars) {
    private static final int DEFAULT_MAX_RESOURCES = 2000;
    private static final int DEFAULT_MAX_INLINE_CHARS = 1_000_000;

    /** Checks that both limits are positive. */
    public ExtractionLimits {
        if (maxResources < 1) {
            throw new IllegalArgumentException("maxResources must be positive: " + maxResources);
        }
        if (maxInlineChars < 1) {
            throw new IllegalArgumentException("maxInlineChars must be positive: " + maxInlineChars);
        }
    }

    /** The defaults: 2000 resources, one million characters of each inline script or style. */
    public static ExtractionLimits defaults() {
        return new ExtractionLimits(DEFAULT_MAX_RESOURCES, DEFAULT_MAX_INLINE_CHARS);
    }

    /** These limits with {@code max} resources at most, for example {@link WebSettings#maxResources()}. */
    public ExtractionLimits withMaxResources(int max) {
        return new ExtractionLimits(max, maxInlineChars);
    }
}
