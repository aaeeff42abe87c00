package dev.chokepoint.scan;

import dev.chokepoint.target.DomainName;
import dev.chokepoint.target.InvalidTargetException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a target list lazily: one domain or URL per line, or a ranked CSV ({@code rank,domain}, as top lists are
 * published), detected from the first data line. Comments ({@code #}), blank lines and duplicates are skipped;
 * invalid lines are counted with their line numbers, never fatal. Only the set of names seen is held in memory.
 */
public final class TargetList implements Iterator<TargetList.Target> {
    /** Invalid lines whose text is kept for the report; the rest are only counted. */
    public static final int MAX_REPORTED_INVALID = 100;

    private static final Pattern RANKED = Pattern.compile("\\s*\\d+\\s*,.*");

    /**
     * One target to audit.
     *
     * @param line the line number in the input
     * @param input the text as given
     * @param domain the normalised name
     */
    public record Target(long line, String input, DomainName domain) {}

    /**
     * An input line that is not a target.
     *
     * @param line the line number
     * @param reason why
     */
    public record Invalid(long line, String reason) {}

    private final BufferedReader reader;
    private final long limit;
    private final Set<String> seen = new HashSet<>();
    private final List<Invalid> invalid = new ArrayList<>();
    private long invalidCount;
    private long duplicates;
    private long lineNumber;
    private long produced;
    private Boolean ranked;
    private Target next;

    /**
     * Reads targets from {@code reader}, stopping after {@code limit} valid ones (0: no limit). A reader that replaces
     * bytes it cannot decode (as {@link java.io.InputStreamReader} does) turns them into one invalid line each.
     */
    public TargetList(BufferedReader reader, long limit) {
        this.reader = reader;
        this.limit = limit;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (limit > 0 && produced >= limit) {
            return false;
        }
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String text = line.strip();
                if (lineNumber == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                if (text.indexOf('\uFFFD') >= 0) {
                    reject("not UTF-8 (bytes that do not decode; save the list as UTF-8)");
                    continue;
                }
                if (ranked == null) {
                    if (text.contains(",") && !RANKED.matcher(text).matches()) {
                        continue; // a CSV header such as rank,domain: the next line decides the format
                    }
                    ranked = RANKED.matcher(text).matches();
                }
                String candidate = text;
                if (ranked) {
                    String[] fields = text.split(",", -1);
                    if (fields.length < 2 || !fields[0].strip().matches("\\d+")) {
                        if (lineNumber == 1 || fields[0].strip().equalsIgnoreCase("rank")) {
                            continue; // a header row
                        }
                        reject("expected rank,domain");
                        continue;
                    }
                    candidate = fields[1].strip();
                }
                DomainName domain;
                try {
                    domain = DomainName.parse(candidate);
                } catch (InvalidTargetException e) {
                    reject(e.getMessage());
                    continue;
                }
                if (!seen.add(domain.ascii())) {
                    duplicates++;
                    continue;
                }
                next = new Target(lineNumber, candidate, domain);
                produced++;
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the target list at line " + (lineNumber + 1), e);
        }
    }

    private void reject(String reason) {
        invalidCount++;
        if (invalid.size() < MAX_REPORTED_INVALID) {
            invalid.add(new Invalid(lineNumber, reason));
        }
    }

    @Override
    public Target next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Target target = next;
        next = null;
        return target;
    }

    /** The invalid lines seen so far (the first {@value #MAX_REPORTED_INVALID}). */
    public List<Invalid> invalid() {
        return List.copyOf(invalid);
    }

    /** How many invalid lines were seen so far. */
    public long invalidCount() {
        return invalidCount;
    }

    /** How many duplicate names were skipped so far. */
    public long duplicates() {
        return duplicates;
    }

    /** Whether the input was read as a ranked CSV. */
    public boolean ranked() {
        return Boolean.TRUE.equals(ranked);
    }
}
