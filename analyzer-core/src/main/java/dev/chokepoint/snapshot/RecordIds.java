package dev.chokepoint.snapshot;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code WARC-Record-ID}s of one snapshot file: {@code urn:uuid:} URIs whose UUIDs are of version 8 (RFC 9562,
 * section 5.8, a layout of the implementer's choosing), 74 bits drawn at random once per file followed by a 48-bit
 * counter. They are as unique as jwarc's random version 4 UUIDs for any practical purpose (two files share a prefix
 * with a chance of one in 2^74), and WARC asks no more of an identifier than that it be a registered URI, globally
 * unique. Unlike random ones, consecutive IDs differ only in their last few hex digits, which deflate compresses: a
 * random ID is about 15 bytes that cannot be compressed, and a DNS exchange's two records carry two such IDs (and a
 * copy of one, in {@code WARC-Concurrent-To}) around a body of a hundred bytes or so.
 */
final class RecordIds {
    private final long high;
    private final long low;
    private final AtomicLong counter = new AtomicLong();

    RecordIds() {
        SecureRandom random = new SecureRandom();
        // The version nibble (bits 12 to 15 of the high half) says 8; the variant (the two top bits of the low half)
        // says RFC 9562; 14 random bits sit above the counter.
        this.high = (random.nextLong() & ~0xF000L) | 0x8000L;
        this.low = (random.nextLong() & 0x3FFF_0000_0000_0000L) | 0x8000_0000_0000_0000L;
    }

    /** The next ID; thread-safe. */
    UUID next() {
        return new UUID(high, low | (counter.getAndIncrement() & 0xFFFF_FFFF_FFFFL));
    }
}
