package dev.chokepoint.scan;

import dev.chokepoint.target.DomainName;
import dev.chokepoint.target.InvalidTargetException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a target list lazily: one domain or URL per line, or a CSV top list, detected from the first data line. A CSV
 * list is {@code rank,domain} (Tranco, Umbrella) or {@code domain,rank} (the CrUX top lists' {@code origin,rank}), or
 * has a header row that names the target's column ({@code domain}, {@code origin}, {@code host}, {@code url} ...).
 * Comments ({@code #}), blank lines and duplicates are skipped; invalid lines are counted with their line numbers,
 * never fatal. Only the names seen are held in memory, packed ({@link NameSet}).
 */
public final class TargetList implements Iterator<TargetList.Target> {
    /** Invalid lines whose text is kept for the report; the rest are only counted. */
    public static final int MAX_REPORTED_INVALID = 100;

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** Header names of the column that holds the target, in a CSV list with a header row. */
    private static final Set<String> TARGET_COLUMNS =
            Set.of("domain", "origin", "host", "hostname", "site", "url", "name", "website");

    /** {@link #column} before the first data line decides it, and for one target per line. */
    private static final int UNDECIDED = -2;

    private static final int WHOLE_LINE = -1;

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
    private final NameSet seen = new NameSet();
    private final List<Invalid> invalid = new ArrayList<>();
    private long invalidCount;
    private long duplicates;
    private long lineNumber;
    private long produced;
    /** Lines that are neither blank nor a comment: what a count of the list's lines before the scan sees. */
    private long dataLines;
    /** {@link #dataLines} less {@link #produced}, written after each line for other threads to read. */
    private volatile long passedOver;
    /** The CSV field that holds the target, or {@link #WHOLE_LINE}, or {@link #UNDECIDED}. */
    private int column = UNDECIDED;
    /** The CSV field that must hold a number (the rank), or -1. */
    private int rankColumn = -1;
    /** The layout a CSV line must have, for messages: {@code rank,domain}, or the header row. */
    private String layout;
    /** The header row, lower case, when there is one: a copy of it further down is skipped. */
    private String header;

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
                boolean target = take(line);
                passedOver = dataLines - produced;
                if (target) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the target list at line " + (lineNumber + 1), e);
        }
    }

    /** Reads line {@link #lineNumber}: whether it is the next target (then in {@link #next}). */
    private boolean take(String line) {
        String text = text(lineNumber, line);
        if (!isData(text)) {
            return false;
        }
        dataLines++;
        if (text.indexOf('\uFFFD') >= 0) {
            reject("not UTF-8 (bytes that do not decode; save the list as UTF-8)");
            return false;
        }
        if (column == UNDECIDED && !decide(text)) {
            return false;
        }
        String candidate = text;
        if (column >= 0) {
            if (text.equalsIgnoreCase(header)) {
                return false; // the header row again, as in lists joined together
            }
            String[] fields = fields(text);
            if (fields.length <= Math.max(column, rankColumn)
                    || (rankColumn >= 0 && !NUMBER.matcher(fields[rankColumn]).matches())) {
                reject("expected " + layout);
                return false;
            }
            candidate = fields[column];
        }
        DomainName domain;
        try {
            domain = DomainName.parse(candidate);
        } catch (InvalidTargetException e) {
            reject(e.getMessage());
            return false;
        }
        if (!seen.add(domain.ascii())) {
            duplicates++;
            return false;
        }
        next = new Target(lineNumber, candidate, domain);
        produced++;
        return true;
    }

    /**
     * Decides the layout from the first data line; whether that line is a target line (false for a header row, or a
     * line that fits no layout, which is counted as invalid).
     */
    private boolean decide(String text) {
        if (text.indexOf(',') < 0) {
            column = WHOLE_LINE;
            // A one-column list with a header row, such as Cloudflare Radar's "domain".
            return !TARGET_COLUMNS.contains(text.toLowerCase(Locale.ROOT));
        }
        String[] fields = fields(text);
        List<String> names =
                Stream.of(fields).map(f -> f.toLowerCase(Locale.ROOT)).toList();
        for (int i = 0; i < names.size(); i++) {
            if (TARGET_COLUMNS.contains(names.get(i))) {
                column = i;
                rankColumn = names.indexOf("rank");
                header = text.toLowerCase(Locale.ROOT);
                layout = header + " (the header row)";
                return false;
            }
        }
        if (fields.length >= 2 && NUMBER.matcher(fields[0]).matches()) {
            column = 1;
            rankColumn = 0;
            layout = "rank,domain";
        } else if (fields.length >= 2
                && NUMBER.matcher(fields[fields.length - 1]).matches()) {
            column = 0;
            rankColumn = fields.length - 1;
            layout = "domain,rank";
        } else if (header == null && Stream.of(fields).noneMatch(TargetList::isName)) {
            header = text.toLowerCase(Locale.ROOT); // a header without a known column name: the next line decides
            return false;
        } else {
            reject("expected rank,domain or domain,rank, or a header row naming the domain column");
            return false;
        }
        return true;
    }

    private static boolean isName(String field) {
        try {
            DomainName.parse(field);
            return true;
        } catch (InvalidTargetException e) {
            return false;
        }
    }

    /** The fields of a CSV line, stripped of blanks and of the double quotes around them. */
    private static String[] fields(String text) {
        String[] fields = text.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                field = field.substring(1, field.length() - 1).strip();
            }
            fields[i] = field;
        }
        return fields;
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

    /**
     * How many lines read so far were neither blank, a comment nor a target: header rows, invalid lines and
     * duplicates. A count of the list's data lines made before the scan ({@link #isDataLine}), less this, is the
     * number of targets. Safe to read from any thread.
     */
    public long passedOver() {
        return passedOver;
    }

    /**
     * Whether line {@code number} (from 1) with text {@code line} is one that a {@link TargetList} reads as data, not
     * as a blank line or a comment: for counting a list's lines before scanning it.
     */
    public static boolean isDataLine(long number, String line) {
        return isData(text(number, line));
    }

    /** Line {@code number}'s text without surrounding blanks, nor the byte order mark that may start a file. */
    private static String text(long number, String line) {
        String text = line.strip();
        return number == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static boolean isData(String text) {
        return !text.isEmpty() && !text.startsWith("#");
    }

    /** Whether the input was read as a CSV list (ranked, or with a header row). */
    public boolean ranked() {
        return column >= 0;
    }
}
