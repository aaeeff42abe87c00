package dev.chokepoint.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.assess.Survival;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A past incident from {@code datasets/scenarios/}: the components that failed together, and the sources that say so.
 *
 * @param id the scenario id, the file name without {@code .json}
 * @param title a title for people
 * @param date the day it happened
 * @param fail provider ids, organisation ids or ASNs that failed
 * @param summary what happened
 * @param notes how well the model fits
 * @param sources where the facts come from
 */
public record Scenario(
        String id, String title, String date, List<String> fail, String summary, String notes, List<String> sources) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the lists. */
    public Scenario {
        fail = List.copyOf(fail);
        sources = List.copyOf(sources);
    }

    /**
     * Loads scenario {@code id} from {@code directory}.
     *
     * @throws IllegalArgumentException naming the scenario and the file, or listing the known ones
     */
    public static Scenario load(Path directory, String id) {
        Path file = directory.resolve(id + ".json");
        if (!id.matches("[a-z0-9][a-z0-9-]*") || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "unknown scenario '" + id + "' (known: " + String.join(", ", ids(directory)) + ")");
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            List<String> fail = new ArrayList<>();
            node.path("fail").forEach(f -> fail.add(Survival.normalise(f.asText())));
            List<String> sources = new ArrayList<>();
            node.path("sources").forEach(s -> sources.add(s.asText()));
            if (fail.isEmpty() || sources.isEmpty()) {
                throw new IllegalArgumentException(file + ": a scenario needs 'fail' and 'sources'");
            }
            return new Scenario(
                    id,
                    node.path("title").asText(id),
                    node.path("date").asText(""),
                    fail,
                    node.path("summary").asText(""),
                    node.path("notes").asText(""),
                    sources);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable scenario (" + e.getMessage() + ")", e);
        }
    }

    /** The ids of the scenarios in {@code directory}, sorted. */
    public static List<String> ids(Path directory) {
        TreeSet<String> ids = new TreeSet<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
                files.forEach(f -> ids.add(f.getFileName().toString().replaceFirst("\\.json$", "")));
            } catch (IOException e) {
                return List.of();
            }
        }
        return new ArrayList<>(ids);
    }

    /** The scenario's first source, if any. */
    public Optional<String> source() {
        return sources.isEmpty() ? Optional.empty() : Optional.of(sources.getFirst());
    }
}
