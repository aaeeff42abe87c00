package dev.chokepoint.provider;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The provider fingerprints of {@code datasets/providers/}: organisations and the patterns that attribute DNS evidence
 * to their services. Loaded once and validated whole; immutable and thread-safe.
 */
public final class ProviderCatalog {
    /** The organisations file, in the providers directory. */
    public static final String ORGANISATIONS_FILE = "organisations.csv";

    /** The patterns file, in the providers directory. */
    public static final String PATTERNS_FILE = "patterns.csv";

    private static final List<String> ORGANISATION_COLUMNS = List.of("id", "name", "domains", "source");
    private static final List<String> PATTERN_COLUMNS =
            List.of("provider", "service", "kind", "pattern", "product", "source");
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final java.util.regex.Pattern DOMAIN =
            java.util.regex.Pattern.compile("([a-z0-9_*]([a-z0-9_*-]*[a-z0-9*])?\\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final java.util.regex.Pattern ASN = java.util.regex.Pattern.compile("AS([0-9]{1,10})");
    private static final java.util.regex.Pattern HEADER =
            java.util.regex.Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+(=.+)?");

    private static final long MAX_ASN = 4_294_967_295L;

    private final Map<PatternKind, List<Pattern>> texts;
    private final Map<String, Organisation> organisations;
    private final Map<String, Organisation> ownerOfDomain;
    private final Map<PatternKind, Map<String, Pattern>> suffixes;
    private final Map<PatternKind, List<Wildcard>> wildcards;
    private final Map<Long, Pattern> asns;
    private final int patternCount;
    private final String version;

    private record Wildcard(java.util.regex.Pattern regex, Pattern pattern) {}

    private ProviderCatalog(
            Map<PatternKind, List<Pattern>> texts,
            Map<String, Organisation> organisations,
            Map<PatternKind, Map<String, Pattern>> suffixes,
            Map<PatternKind, List<Wildcard>> wildcards,
            Map<Long, Pattern> asns,
            int patternCount,
            String version) {
        this.texts = texts;
        this.organisations = organisations;
        this.suffixes = suffixes;
        this.wildcards = wildcards;
        this.asns = asns;
        this.patternCount = patternCount;
        this.version = version;
        Map<String, Organisation> owners = new HashMap<>();
        organisations.values().forEach(o -> o.domains().forEach(d -> owners.putIfAbsent(d, o)));
        this.ownerOfDomain = owners;
    }

    /**
     * Loads and validates the two files in {@code directory}.
     *
     * @throws DatasetException naming the file and line of the first bad entry
     */
    public static ProviderCatalog load(Path directory) {
        Path orgFile = directory.resolve(ORGANISATIONS_FILE);
        Path patternFile = directory.resolve(PATTERNS_FILE);
        MessageDigest digest = sha256();
        Map<String, Organisation> organisations = new LinkedHashMap<>();
        for (Row row : read(orgFile, ORGANISATION_COLUMNS, digest)) {
            String id = row.get("id");
            if (!ID.matcher(id).matches()) {
                throw row.error("organisation id '" + id + "' must be lower-case letters, digits and hyphens");
            }
            if (organisations.containsKey(id)) {
                throw row.error("organisation '" + id + "' is defined twice");
            }
            String name = row.required("name");
            List<String> domains = row.get("domains").isBlank()
                    ? List.of()
                    : Arrays.asList(row.get("domains").trim().split("\\s+"));
            for (String domain : domains) {
                if (!DOMAIN.matcher(domain).matches() || domain.contains("*")) {
                    throw row.error("'" + domain + "' in domains is not a lower-case domain name");
                }
            }
            organisations.put(id, new Organisation(id, name, domains, row.source()));
        }

        Map<PatternKind, Map<String, Pattern>> suffixes = new HashMap<>();
        Map<PatternKind, List<Wildcard>> wildcards = new HashMap<>();
        Map<Long, Pattern> asns = new HashMap<>();
        Map<PatternKind, List<Pattern>> texts = new HashMap<>();
        int count = 0;
        for (Row row : read(patternFile, PATTERN_COLUMNS, digest)) {
            String orgId = row.get("provider");
            Organisation organisation = organisations.get(orgId);
            if (organisation == null) {
                throw row.error("provider '" + orgId + "' is not in " + ORGANISATIONS_FILE);
            }
            Service service = Service.fromId(row.get("service"))
                    .orElseThrow(() -> row.error(
                            "unknown service '" + row.get("service") + "' (expected one of " + Service.ids() + ")"));
            PatternKind kind = PatternKind.fromId(row.get("kind"))
                    .orElseThrow(() -> row.error(
                            "unknown kind '" + row.get("kind") + "' (expected one of " + PatternKind.ids() + ")"));
            String value = row.required("pattern");
            Pattern pattern =
                    new Pattern(organisation, service, kind, value, row.get("product"), row.source(), row.location());
            if (kind == PatternKind.ASN) {
                var m = ASN.matcher(value);
                if (!m.matches()) {
                    throw row.error("asn pattern '" + value + "' must look like AS13335");
                }
                long asn = Long.parseLong(m.group(1));
                if (asn > MAX_ASN) {
                    throw row.error(value + " is not an AS number: they are 32-bit, at most AS" + MAX_ASN);
                }
                Pattern previous = asns.putIfAbsent(asn, pattern);
                if (previous != null) {
                    throw row.error(value + " is already attributed at " + previous.location());
                }
            } else if (kind == PatternKind.HEADER || kind == PatternKind.ISSUER) {
                if (!value.equals(value.toLowerCase(Locale.ROOT))
                        || (kind == PatternKind.HEADER && !HEADER.matcher(value).matches())) {
                    throw row.error(kind.id() + " pattern '" + value + "' must be lower case"
                            + (kind == PatternKind.HEADER ? " and look like name or name=value" : ""));
                }
                List<Pattern> list = texts.computeIfAbsent(kind, k -> new ArrayList<>());
                Optional<Pattern> previous =
                        list.stream().filter(p -> p.value().equals(value)).findFirst();
                if (previous.isPresent()) {
                    throw row.error(kind.id() + " pattern '" + value + "' is already defined at "
                            + previous.get().location());
                }
                list.add(pattern);
            } else {
                if (!DOMAIN.matcher(value).matches()) {
                    throw row.error("pattern '" + value + "' is not a lower-case domain suffix");
                }
                Pattern previous;
                if (value.contains("*")) {
                    String regex =
                            "(.*\\.)?" + java.util.regex.Pattern.quote(value).replace("*", "\\E[0-9]+\\Q") + "";
                    List<Wildcard> list = wildcards.computeIfAbsent(kind, k -> new ArrayList<>());
                    previous = list.stream()
                            .map(Wildcard::pattern)
                            .filter(p -> p.value().equals(value))
                            .findFirst()
                            .orElse(null);
                    list.add(new Wildcard(java.util.regex.Pattern.compile(regex), pattern));
                } else {
                    previous =
                            suffixes.computeIfAbsent(kind, k -> new HashMap<>()).putIfAbsent(value, pattern);
                }
                if (previous != null) {
                    throw row.error(
                            kind.id() + " pattern '" + value + "' is already defined at " + previous.location());
                }
            }
            count++;
        }
        return new ProviderCatalog(
                texts,
                organisations,
                suffixes,
                wildcards,
                asns,
                count,
                HexFormat.of().formatHex(digest.digest()).substring(0, 12));
    }

    /** An empty catalog: nothing is attributed to a known provider. */
    public static ProviderCatalog empty() {
        return new ProviderCatalog(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, "empty");
    }

    /** The pattern that matches {@code name} as evidence of {@code kind}, the longest suffix winning. */
    public Optional<Pattern> match(PatternKind kind, String name) {
        String host = name.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        Pattern best = null;
        int bestLength = -1;
        Map<String, Pattern> exact = suffixes.getOrDefault(kind, Map.of());
        String suffix = host;
        while (true) {
            Pattern found = exact.get(suffix);
            if (found != null) {
                best = found;
                bestLength = suffix.length();
                break;
            }
            int dot = suffix.indexOf('.');
            if (dot < 0) {
                break;
            }
            suffix = suffix.substring(dot + 1);
        }
        for (Wildcard wildcard : wildcards.getOrDefault(kind, List.of())) {
            var m = wildcard.regex().matcher(host);
            if (m.matches()) {
                int length =
                        host.length() - (m.group(1) == null ? 0 : m.group(1).length());
                if (length > bestLength) {
                    best = wildcard.pattern();
                    bestLength = length;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The header patterns that {@code headers} (name, value pairs) match, each pattern once. */
    public List<Pattern> matchHeaders(List<Map.Entry<String, String>> headers) {
        List<Pattern> matched = new ArrayList<>();
        for (Pattern pattern : texts.getOrDefault(PatternKind.HEADER, List.of())) {
            String[] parts = pattern.value().split("=", 2);
            boolean hit = headers.stream()
                    .anyMatch(h -> h.getKey().equalsIgnoreCase(parts[0])
                            && (parts.length == 1
                                    || h.getValue().toLowerCase(Locale.ROOT).contains(parts[1])));
            if (hit) {
                matched.add(pattern);
            }
        }
        return matched;
    }

    /** The issuer pattern contained in {@code issuerOrganisation}, the longest winning. */
    public Optional<Pattern> matchIssuer(String issuerOrganisation) {
        String lower = issuerOrganisation.toLowerCase(Locale.ROOT);
        return texts.getOrDefault(PatternKind.ISSUER, List.of()).stream()
                .filter(p -> lower.contains(p.value()))
                .max(java.util.Comparator.comparingInt(p -> p.value().length()));
    }

    /** The pattern for autonomous system {@code asn}, if the datasets know it. */
    public Optional<Pattern> matchAsn(long asn) {
        return Optional.ofNullable(asns.get(asn));
    }

    /** The organisation whose own property {@code registrableDomain} is, if any. */
    public Optional<Organisation> ownerOf(String registrableDomain) {
        return Optional.ofNullable(ownerOfDomain.get(registrableDomain));
    }

    /** The organisation with identifier {@code id}, if any. */
    public Optional<Organisation> organisation(String id) {
        return Optional.ofNullable(organisations.get(id));
    }

    /** The number of organisations. */
    public int organisationCount() {
        return organisations.size();
    }

    /** The number of patterns. */
    public int patternCount() {
        return patternCount;
    }

    /** A short content hash of the dataset files, shown in reports so that results can be traced to data. */
    public String version() {
        return version;
    }

    private record Row(CSVRecord record, String location) {
        String get(String column) {
            return record.isSet(column) ? record.get(column).strip() : "";
        }

        String required(String column) {
            String value = get(column);
            if (value.isEmpty()) {
                throw error("empty " + column);
            }
            return value;
        }

        String source() {
            String source = get("source");
            if (!source.startsWith("https://") && !source.startsWith("http://")) {
                throw error("every entry needs a source URL (got '" + source + "')");
            }
            return source;
        }

        DatasetException error(String reason) {
            return new DatasetException(location, reason);
        }
    }

    private static List<Row> read(Path file, List<String> columns, MessageDigest digest) {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file.toString(), "no such dataset file");
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            digest.update(bytes);
            List<Row> rows = new ArrayList<>();
            try (Reader reader = new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8));
                    CSVParser parser = CSVFormat.RFC4180
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .setIgnoreEmptyLines(true)
                            .get()
                            .parse(reader)) {
                if (!parser.getHeaderNames().equals(columns)) {
                    throw new DatasetException(
                            name + ":1",
                            "header must be " + String.join(",", columns) + " (got "
                                    + String.join(",", parser.getHeaderNames()) + ")");
                }
                for (CSVRecord record : parser) {
                    String location = name + ":" + parser.getCurrentLineNumber();
                    if (record.size() != columns.size()) {
                        throw new DatasetException(
                                location, "expected " + columns.size() + " fields, found " + record.size());
                    }
                    rows.add(new Row(record, location));
                }
            }
            return rows;
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            throw new DatasetException(name, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
