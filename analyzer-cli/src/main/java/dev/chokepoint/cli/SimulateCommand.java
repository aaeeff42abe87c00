package dev.chokepoint.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chokepoint.assess.Simulation;
import dev.chokepoint.assess.SiteDependencies;
import dev.chokepoint.assess.Survival;
import dev.chokepoint.export.JsonResults;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.ScanDirectory;
import dev.chokepoint.scan.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chokepoint simulate}: which sites go down, which degrade, when given providers fail together. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fails providers, services or networks together and tells which sites go down (a required service has no"
                    + " working alternative left), which degrade (soft dependencies only), and through which path."
                    + " Works on live audits of TARGETs, on a snapshot (--replay) or on a scan directory (--from).",
        })
final class SimulateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--fail",
            paramLabel = "WHAT[,WHAT...]",
            split = ",",
            description =
                    "What fails: a provider (cloudflare:cdn), an organisation (cloudflare) or a network (AS13335).")
    List<String> fail = new ArrayList<>();

    @Option(
            names = "--scenario",
            paramLabel = "ID",
            description = "A past incident from datasets/scenarios/, e.g. cloudflare-2025-11-18.")
    String scenario;

    @Option(names = "--from", paramLabel = "DIR", description = "Simulate on a scan directory's results.")
    Path from;

    @CommandLine.Mixin
    AuditInputs inputs;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--all",
            description = "Text output: list every site that stays up too, however many (by default they are listed"
                    + " only when there are at most " + LISTED_UP + ").")
    boolean all;

    @CommandLine.Mixin
    ColourOption color;

    /**
     * The most sites that stay up which text output lists without {@code --all}: every one of a few audited targets,
     * but not the thousands of a scan directory, whose answer is the sites that go down.
     */
    static final int LISTED_UP = 20;

    @Mixin
    StackTraceOption stacktrace;

    @Override
    public Integer call() throws Exception {
        Logging.configure(0, false);
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("unknown --format '" + format + "' (expected text or json)");
        }
        Ansi ansi = color.ansi();
        Optional<Scenario> incident = Optional.empty();
        Set<String> failed = new LinkedHashSet<>();
        if (scenario != null) {
            try {
                incident = Optional.of(Scenario.load(Installation.datasets().resolve("scenarios"), scenario));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            failed.addAll(incident.get().fail());
        }
        for (String what : fail) {
            if (!what.isBlank()) {
                failed.add(Survival.normalise(what));
            }
        }
        if (failed.isEmpty()) {
            throw new UsageException("nothing fails: give --fail WHAT or --scenario ID");
        }
        if (from != null && (!inputs.targets.isEmpty() || inputs.replay != null)) {
            throw new UsageException("--from reads a scan directory; it cannot be combined with targets or --replay");
        }

        List<Simulation.SiteFate> fates = new ArrayList<>();
        long notAudited = 0;
        if (from != null) {
            try (Stream<String> lines = ScanDirectory.lines(from)) {
                List<Simulation.SiteFate> collected = new ArrayList<>();
                long[] errors = {0};
                Consumer<String> each = line -> {
                    try {
                        Optional<SiteDependencies> site = JsonResults.dependencies(line);
                        if (site.isPresent()) {
                            collected.add(Simulation.of(site.get(), failed));
                        } else {
                            errors[0]++;
                        }
                    } catch (IOException e) {
                        errors[0]++;
                    }
                };
                lines.forEach(each);
                fates.addAll(collected);
                notAudited = errors[0];
            } catch (NoSuchFileException e) {
                throw new UsageException(from + ": not a scan directory (no " + ScanDirectory.RESULTS + ")");
            }
        } else {
            for (AuditResult result : inputs.collect().results()) {
                if (result.assessment().isPresent()) {
                    fates.add(Simulation.of(result.assessment().get().dependencies(), failed));
                } else {
                    notAudited++;
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(JSON.writeValueAsString(json(incident, failed, fates, notAudited)));
        } else {
            text(out, ansi, incident, failed, fates, notAudited, all);
        }
        out.flush();
        return ExitCode.OK;
    }

    private static ObjectNode json(
            Optional<Scenario> incident, Set<String> failed, List<Simulation.SiteFate> fates, long notAudited) {
        ObjectNode root = JSON.createObjectNode();
        incident.ifPresent(s -> {
            ObjectNode node = root.putObject("scenario");
            node.put("id", s.id());
            node.put("title", s.title());
            node.put("date", s.date());
            ArrayNode sources = node.putArray("sources");
            s.sources().forEach(sources::add);
        });
        ArrayNode failing = root.putArray("failed");
        failed.forEach(failing::add);
        ArrayNode sites = root.putArray("sites");
        for (Simulation.SiteFate fate : fates) {
            ObjectNode site = sites.addObject();
            site.put("domain", fate.domain());
            site.put("fate", fate.fate().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode lost = site.putArray("lost");
            fate.lost().forEach(lost::add);
            ArrayNode paths = site.putArray("paths");
            for (Simulation.Path path : fate.paths()) {
                paths.addObject()
                        .put("service", path.service())
                        .put("provider", path.provider())
                        .put("indirect", path.indirect());
            }
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("sites", fates.size());
        for (Simulation.Fate f : Simulation.Fate.values()) {
            summary.put(
                    f.name().toLowerCase(java.util.Locale.ROOT),
                    fates.stream().filter(x -> x.fate() == f).count());
        }
        summary.put("notAudited", notAudited);
        return root;
    }

    private static void text(
            PrintWriter out,
            Ansi ansi,
            Optional<Scenario> incident,
            Set<String> failed,
            List<Simulation.SiteFate> fates,
            long notAudited,
            boolean all) {
        incident.ifPresent(s -> {
            out.println(ansi.string("@|bold " + s.title() + "|@") + " (" + s.id() + ", " + s.date() + ")");
        });
        out.println("Failing: " + String.join(", ", failed));
        out.println();
        long up = fates.stream().filter(f -> f.fate() == Simulation.Fate.UP).count();
        boolean listUp = all || up <= LISTED_UP;
        List<Simulation.SiteFate> sorted = fates.stream()
                .filter(f -> listUp || f.fate() != Simulation.Fate.UP)
                .sorted((a, b) -> a.fate() != b.fate()
                        ? a.fate().compareTo(b.fate())
                        : a.domain().compareTo(b.domain()))
                .toList();
        int width = Math.max(
                4, sorted.stream().mapToInt(f -> f.domain().length()).max().orElse(4));
        if (!sorted.isEmpty()) {
            out.println(ansi.string("@|faint   " + pad("SITE", width) + "  " + pad("FATE", 9) + "  LOST / THROUGH|@"));
        }
        for (Simulation.SiteFate fate : sorted) {
            String style =
                    switch (fate.fate()) {
                        case DOWN -> "red,bold";
                        case DEGRADED -> "yellow";
                        case UP -> "green";
                    };
            String why = fate.fate() == Simulation.Fate.UP
                    ? ""
                    : String.join(", ", fate.lost()) + "  via "
                            + fate.paths().stream()
                                    .map(p -> p.provider() + (p.indirect() ? " (indirect, " + p.service() + ")" : ""))
                                    .distinct()
                                    .collect(Collectors.joining(", "));
            out.println("  " + pad(fate.domain(), width) + "  "
                    + ansi.string(
                            "@|" + style + " " + pad(fate.fate().name().toLowerCase(java.util.Locale.ROOT), 9) + "|@")
                    + "  " + why);
        }
        if (!listUp) {
            out.println(ansi.string("@|faint   " + up + " sites up, not listed (--all lists them)|@"));
        }
        through(out, ansi, fates);
        long down = fates.stream().filter(f -> f.fate() == Simulation.Fate.DOWN).count();
        long degraded =
                fates.stream().filter(f -> f.fate() == Simulation.Fate.DEGRADED).count();
        out.println();
        out.println(down + " of " + fates.size() + " sites down, " + degraded + " degraded, " + up + " up"
                + (notAudited > 0 ? "; " + notAudited + " not audited" : "")
                + "."
                + incident.flatMap(Scenario::source).map(s -> " Source: " + s).orElse(""));
    }

    /**
     * Prints, for each failed provider a site went down or degraded through, how many sites that was: directly, or
     * only through another provider. A long list of sites answers "which"; this answers "how many, and how".
     */
    private static void through(PrintWriter out, Ansi ansi, List<Simulation.SiteFate> fates) {
        // Provider to {sites through it directly, sites through it only indirectly}, by provider.
        Map<String, int[]> counts = new TreeMap<>();
        for (Simulation.SiteFate fate : fates) {
            if (fate.fate() == Simulation.Fate.UP) {
                continue;
            }
            Map<String, Boolean> direct = new HashMap<>();
            for (Simulation.Path path : fate.paths()) {
                direct.merge(path.provider(), !path.indirect(), Boolean::logicalOr);
            }
            direct.forEach(
                    (provider, isDirect) -> counts.computeIfAbsent(provider, k -> new int[2])[isDirect ? 0 : 1]++);
        }
        if (counts.isEmpty()) {
            return;
        }
        int width = Math.max(
                "THROUGH".length(),
                counts.keySet().stream().mapToInt(String::length).max().orElse(0));
        String row = "  %-" + width + "s  %8s  %8s  %8s";
        out.println();
        out.println(ansi.string(
                "@|faint " + String.format(Locale.ROOT, row, "THROUGH", "SITES", "DIRECTLY", "INDIRECT") + "|@"));
        // Most sites first; a stable sort keeps ties in provider order.
        counts.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> -(e.getValue()[0] + e.getValue()[1])))
                .forEach(e -> out.println(String.format(
                        Locale.ROOT,
                        row,
                        e.getKey(),
                        e.getValue()[0] + e.getValue()[1],
                        e.getValue()[0],
                        e.getValue()[1])));
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
