package dev.chokepoint.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit or scan run that produced what is exported: enough to name it and say where its data came from.
 *
 * <p>Every field is derived from the input (the snapshot's record times for a replay), never from the clock at export
 * time, so that exporting the same input twice gives the same bytes.
 *
 * @param id a stable identifier, safe in an IRI path segment and a file name ({@code [A-Za-z0-9._-]+})
 * @param started when the first observation was made
 * @param ended when the last observation was made
 * @param toolVersion the version of Chokepoint that assessed the data
 * @param asnDataset the version (date) of the IP-to-ASN table used
 * @param resolvers the DNS resolvers asked, or {@code replay:FILE} entries for a replay
 * @param source where the observations come from: {@code live}, a snapshot file name or a scan directory name
 */
public record RunInfo(
        String id,
        Instant started,
        Instant ended,
        String toolVersion,
        String asnDataset,
        List<String> resolvers,
        String source) {
    /** Copies the list. */
    public RunInfo {
        resolvers = List.copyOf(resolvers);
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id '" + id + "' has characters other than [A-Za-z0-9._-]");
        }
    }

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * A run id from what identifies a run: its kind ({@code audit}, {@code scan}), when it started and which sites it
     * covered, as {@code audit-20251118T112000Z-1a2b3c4d} (the last part a digest of the sorted domains).
     */
    public static String id(String kind, Instant started, List<String> domains) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String domain : domains.stream().sorted().distinct().toList()) {
                digest.update(domain.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            String sites = HexFormat.of().formatHex(digest.digest()).substring(0, 8);
            return kind + "-" + STAMP.format(started) + "-" + sites;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
