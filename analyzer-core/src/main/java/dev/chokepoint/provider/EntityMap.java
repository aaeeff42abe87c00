package dev.chokepoint.provider;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The entity map of {@code datasets/entities/}: which organisation a third-party host on a page belongs to, by
 * label-aligned domain suffix, the longest winning. Immutable and thread-safe.
 */
public final class EntityMap {
    /** The entity file, in the entities directory. */
    public static final String FILE = "entities.csv";

    private static final List<String> COLUMNS = List.of("domain", "organisation", "name", "category", "source");
    private static final Set<String> CATEGORIES = Set.of(
            "analytics",
            "advertising",
            "tag-manager",
            "cdn",
            "fonts",
            "consent",
            "video",
            "chat",
            "payments",
            "social",
            "ab-testing",
            "monitoring",
            "captcha",
            "maps",
            "search",
            "comments",
            "reviews",
            "customer-data",
            "marketing",
            "other");
    private static final java.util.regex.Pattern DOMAIN =
            java.util.regex.Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Map<String, Entity> bySuffix;

    private EntityMap(Map<String, Entity> bySuffix) {
        this.bySuffix = bySuffix;
    }

    /** An empty map: every host is unknown. */
    public static EntityMap empty() {
        return new EntityMap(Map.of());
    }

    /**
     * Loads and validates {@code directory/entities.csv}; a missing file gives an empty map.
     *
     * @throws DatasetException naming the file and line of the first bad entry
     */
    public static EntityMap load(Path directory) {
        Path file = directory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        Map<String, Entity> entries = new HashMap<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setIgnoreEmptyLines(true)
                        .get()
                        .parse(reader)) {
            if (!parser.getHeaderNames().equals(COLUMNS)) {
                throw new DatasetException(FILE + ":1", "header must be " + String.join(",", COLUMNS));
            }
            for (CSVRecord record : parser) {
                String location = FILE + ":" + parser.getCurrentLineNumber();
                if (record.size() != COLUMNS.size()) {
                    throw new DatasetException(
                            location, "expected " + COLUMNS.size() + " fields, found " + record.size());
                }
                String domain = record.get("domain").strip();
                String organisation = record.get("organisation").strip();
                String category = record.get("category").strip();
                String source = record.get("source").strip();
                if (!DOMAIN.matcher(domain).matches()) {
                    throw new DatasetException(location, "'" + domain + "' is not a lower-case domain suffix");
                }
                if (!ID.matcher(organisation).matches()) {
                    throw new DatasetException(
                            location,
                            "organisation id '" + organisation + "' must be lower-case"
                                    + " letters, digits and hyphens");
                }
                if (!CATEGORIES.contains(category)) {
                    throw new DatasetException(location, "unknown category '" + category + "'");
                }
                if (!source.startsWith("https://") && !source.startsWith("http://")) {
                    throw new DatasetException(location, "every entry needs a source URL (got '" + source + "')");
                }
                Entity entity =
                        new Entity(organisation, record.get("name").strip(), category, domain, source, location);
                Entity previous = entries.putIfAbsent(domain, entity);
                if (previous != null) {
                    throw new DatasetException(location, domain + " is already mapped at " + previous.location());
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            throw new DatasetException(file.toString(), "cannot read (" + e.getMessage() + ")", e);
        }
        return new EntityMap(Map.copyOf(entries));
    }

    /** The entity whose suffix matches {@code host}, the longest suffix winning. */
    public Optional<Entity> match(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        while (true) {
            Entity found = bySuffix.get(name);
            if (found != null) {
                return Optional.of(found);
            }
            int dot = name.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            name = name.substring(dot + 1);
        }
    }

    /** Whether the organisation {@code organisationId} owns any entry under {@code registrableDomain}. */
    public boolean owns(String organisationId, String registrableDomain) {
        return match(registrableDomain)
                .filter(e -> e.organisationId().equals(organisationId))
                .isPresent();
    }

    /** The number of entries. */
    public int size() {
        return bySuffix.size();
    }
}
