package dev.chokepoint.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chokepoint.assess.Simulation;
import dev.chokepoint.assess.SiteDependencies;
import dev.chokepoint.assess.Survival;
import dev.chokepoint.export.JsonResults;
import dev.chokepoint.provider.DatasetException;
import dev.chokepoint.provider.ProviderCatalog;
import dev.chokepoint.provider.Service;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.ScanDirectory;
import dev.chokepoint.scan.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
            description = "Text output: list every site, however many (by default at most " + LISTED_HIT
                    + " that go down or degrade, and those that stay up only when there are at most " + LISTED_UP
                    + ").")
    boolean all;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress on stderr while a large scan directory's results are read.")
    boolean quiet;

    @CommandLine.Mixin
    ColourOption color;

    /**
     * The most sites that stay up which text output lists without {@code --all}: every one of a few audited targets,
     * but not the thousands of a scan directory, whose answer is the sites that go down.
     */
    static final int LISTED_UP = 20;

    /**
     * The most sites that go down or degrade which text output lists without {@code --all} (down first, then by
     * domain): a whole portfolio, but not the hundreds of thousands one large provider takes down in a scan of a
     * top list, which JSON output gives in full.
     */
    static final int LISTED_HIT = 1_000;

    @Mixin
    StackTraceOption stacktrace;

    @Override
    public Integer call() throws Exception {
        Logging.configure(0, false);
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("unknown --format '" + format + "' (expected text or json)");
        }
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
                failed.add(checked(what));
            }
        }
        if (failed.isEmpty()) {
            throw new UsageException("nothing fails: give --fail WHAT or --scenario ID");
        }
        if (from != null && (!inputs.targets.isEmpty() || inputs.replay != null)) {
            throw new UsageException("--from reads a scan directory; it cannot be combined with targets or --replay");
        }

        PrintWriter out = spec.commandLine().getOut();
        boolean json = format.equals("json");
        // JSON output writes each site as it comes; text keeps only the sites it lists (see Tally).
        Tally tally = new Tally(!json, all);
        if (from != null) {
            // Progress on stderr while the results are read, closed before text output; not while JSON streams to
            // the same terminal.
            boolean terminal = Terminal.isTerminal();
            try (Stream<String> lines = ScanDirectory.lines(from)) {
                simulate(out, json, incident, failed, tally, sink -> {
                    try (Progress progress = Progress.reading(
                            "simulate",
                            ReportCommand.size(from),
                            quiet || (json && terminal),
                            terminal,
                            spec.commandLine().getErr())) {
                        lines.forEach(line -> {
                            progress.read(Progress.bytes(line));
                            try {
                                Optional<SiteDependencies> site = JsonResults.dependencies(line);
                                if (site.isPresent()) {
                                    sink.accept(Simulation.of(site.get(), failed));
                                } else {
                                    tally.notAudited++;
                                }
                            } catch (IOException e) {
                                // Damaged in the middle of the file: not a site that could not be audited.
                                tally.unreadable++;
                            }
                        });
                    }
                });
            } catch (NoSuchFileException e) {
                throw new UsageException(from + ": not a scan directory (no " + ScanDirectory.RESULTS + ")");
            }
        } else {
            List<AuditResult> results = inputs.collect().results();
            simulate(out, json, incident, failed, tally, sink -> {
                for (AuditResult result : results) {
                    if (result.assessment().isPresent()) {
                        sink.accept(Simulation.of(result.assessment().get().dependencies(), failed));
                    } else {
                        tally.notAudited++;
                    }
                }
            });
        }
        out.flush();
        warnUnknown(failed, tally);
        return ExitCode.OK;
    }

    /**
     * A {@code --fail} name, normalised, once it has the shape of one: a network ({@code AS13335}), an organisation
     * ({@code cloudflare}) or a provider ({@code cloudflare:cdn}, with a service Chokepoint knows).
     *
     * @throws UsageException naming the input and what is wrong with it
     */
    static String checked(String what) {
        String name = Survival.normalise(what);
        if (Survival.isNetwork(name)) {
            return name;
        }
        int colon = name.indexOf(':');
        String organisation = colon < 0 ? name : name.substring(0, colon);
        if (organisation.isEmpty() || organisation.chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException("--fail '" + what.trim() + "': not a provider, organisation or network"
                    + " (for example cloudflare:cdn, cloudflare or AS13335)");
        }
        if (colon >= 0) {
            String service = name.substring(colon + 1);
            if (Service.fromId(service).isEmpty()) {
                throw new UsageException("--fail '" + what.trim() + "': unknown service '" + service + "' (expected "
                        + Service.ids() + ")");
            }
        }
        return name;
    }

    /**
     * Warns, on the error stream, of each failed name that no simulated site depends on and that the provider
     * datasets do not know either: most likely a misspelling, which would otherwise read as "every site stays up".
     * A known provider or a network that no site uses is a question with that answer, and gets no warning.
     */
    private void warnUnknown(Set<String> failed, Tally tally) {
        List<String> unused = failed.stream()
                .filter(name -> !Survival.isNetwork(name))
                .filter(name -> tally.reached.stream().noneMatch(provider -> Survival.fails(provider, Set.of(name))))
                .toList();
        if (unused.isEmpty()) {
            return;
        }
        ProviderCatalog catalog;
        try {
            catalog = inputs.datasets().catalog();
        } catch (DatasetException e) {
            // The output is written; without the datasets, every unused name is worth a second look.
            catalog = ProviderCatalog.empty();
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String name : unused) {
            if (catalog.organisation(Survival.organisation(name)).isEmpty()) {
                err.println("chokepoint: warning: --fail " + name + ": no simulated site depends on it and the"
                        + " provider datasets do not know it; check the spelling (ids as in the JSON report)");
            }
        }
        err.flush();
    }

    /**
     * Runs {@code sites}, which hands each site's fate to the consumer it is given, into {@code tally} and writes the
     * outcome: as JSON while the sites come, or as text at the end.
     */
    private void simulate(
            PrintWriter out,
            boolean json,
            Optional<Scenario> incident,
            Set<String> failed,
            Tally tally,
            Consumer<Consumer<Simulation.SiteFate>> sites)
            throws IOException {
        if (!json) {
            sites.accept(tally::add);
            text(out, color.ansi(), incident, failed, tally);
            return;
        }
        try (JsonGenerator generator = JSON.writerWithDefaultPrettyPrinter().createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // Failing half-way must leave JSON that does not parse, not a document closed over the sites so far.
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            generator.writeStartObject();
            if (incident.isPresent()) {
                Scenario s = incident.get();
                generator.writeObjectFieldStart("scenario");
                generator.writeStringField("id", s.id());
                generator.writeStringField("title", s.title());
                generator.writeStringField("date", s.date());
                generator.writeArrayFieldStart("sources");
                for (String source : s.sources()) {
                    generator.writeString(source);
                }
                generator.writeEndArray();
                generator.writeEndObject();
            }
            generator.writeArrayFieldStart("failed");
            for (String what : failed) {
                generator.writeString(what);
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("sites");
            try {
                sites.accept(fate -> {
                    tally.add(fate);
                    write(generator, fate);
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            generator.writeEndArray();
            generator.writeObjectFieldStart("summary");
            generator.writeNumberField("sites", tally.sites());
            for (Simulation.Fate f : Simulation.Fate.values()) {
                generator.writeNumberField(f.name().toLowerCase(Locale.ROOT), tally.count(f));
            }
            generator.writeNumberField("notAudited", tally.notAudited);
            generator.writeNumberField("unreadableLines", tally.unreadable);
            generator.writeEndObject();
            generator.writeEndObject();
        }
        out.println();
    }

    private static void write(JsonGenerator generator, Simulation.SiteFate fate) {
        try {
            generator.writeStartObject();
            generator.writeStringField("domain", fate.domain());
            generator.writeStringField("fate", fate.fate().name().toLowerCase(Locale.ROOT));
            generator.writeArrayFieldStart("lost");
            for (String service : fate.lost()) {
                generator.writeString(service);
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("paths");
            for (Simulation.Path path : fate.paths()) {
                generator.writeStartObject();
                generator.writeStringField("service", path.service());
                generator.writeStringField("provider", path.provider());
                generator.writeBooleanField("indirect", path.indirect());
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a simulation found, gathered one site at a time so that a scan directory of millions of sites is read in
     * one pass without being held: the count of each fate and, per failed provider, the sites down or degraded
     * through it, for every site; the sites themselves only when text output will list them (the first {@value
     * SimulateCommand#LISTED_HIT} down or degraded, and those up while there are few enough; all with {@code --all}).
     */
    static final class Tally {
        /** The order text output lists sites in: down first, then degraded, then up, each by domain. */
        private static final Comparator<Simulation.SiteFate> LISTING =
                Comparator.comparing(Simulation.SiteFate::fate).thenComparing(Simulation.SiteFate::domain);

        private final boolean keep;
        private final boolean all;
        private final long[] counts = new long[Simulation.Fate.values().length];
        /** The first sites down or degraded in listing order, the last of them at the head, to drop for a sooner one. */
        private final PriorityQueue<Simulation.SiteFate> hit = new PriorityQueue<>(LISTING.reversed());

        private final List<Simulation.SiteFate> up = new ArrayList<>();
        /** Provider to {sites through it directly, sites through it only indirectly}, by provider. */
        private final Map<String, long[]> through = new TreeMap<>();

        /** The failed providers and networks some site depends on, whatever its fate. */
        final Set<String> reached = new HashSet<>();

        long notAudited;
        /** Lines of a scan's results that are not results (damaged), read past. */
        long unreadable;

        /** A tally that keeps the sites to list ({@code keep}), all of them with {@code all}. */
        Tally(boolean keep, boolean all) {
            this.keep = keep;
            this.all = all;
        }

        void add(Simulation.SiteFate fate) {
            counts[fate.fate().ordinal()]++;
            for (Simulation.Path path : fate.paths()) {
                reached.add(path.provider());
            }
            if (fate.fate() == Simulation.Fate.UP) {
                if (keep && upListed()) {
                    up.add(fate);
                } else {
                    up.clear();
                }
                return;
            }
            if (keep) {
                hit.add(fate);
                if (!all && hit.size() > LISTED_HIT) {
                    hit.poll();
                }
            }
            Map<String, Boolean> direct = new HashMap<>();
            for (Simulation.Path path : fate.paths()) {
                direct.merge(path.provider(), !path.indirect(), Boolean::logicalOr);
            }
            direct.forEach(
                    (provider, isDirect) -> through.computeIfAbsent(provider, k -> new long[2])[isDirect ? 0 : 1]++);
        }

        /** The sites held so far: those text output will list (a test's window on the memory kept). */
        int kept() {
            return hit.size() + up.size();
        }

        long count(Simulation.Fate fate) {
            return counts[fate.ordinal()];
        }

        long sites() {
            return java.util.Arrays.stream(counts).sum();
        }

        /** Whether text output lists the sites that stay up: with {@code --all}, or when there are few. */
        boolean upListed() {
            return all || count(Simulation.Fate.UP) <= LISTED_UP;
        }

        /** How many sites that go down or degrade text output leaves out of its list. */
        long hitNotListed() {
            return count(Simulation.Fate.DOWN) + count(Simulation.Fate.DEGRADED) - hit.size();
        }

        /** The sites text output lists, down first, then degraded, then up, each by domain. */
        List<Simulation.SiteFate> listed() {
            List<Simulation.SiteFate> listed = new ArrayList<>(hit);
            if (upListed()) {
                listed.addAll(up);
            }
            listed.sort(LISTING);
            return listed;
        }
    }

    private static void text(PrintWriter out, Ansi ansi, Optional<Scenario> incident, Set<String> failed, Tally tally) {
        incident.ifPresent(s -> {
            out.println(ansi.string("@|bold " + s.title() + "|@") + " (" + s.id() + ", " + s.date() + ")");
        });
        out.println("Failing: " + String.join(", ", failed));
        out.println();
        long up = tally.count(Simulation.Fate.UP);
        List<Simulation.SiteFate> sorted = tally.listed();
        int width = TextReport.width("SITE", sorted.stream().map(Simulation.SiteFate::domain));
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
                    : String.join(", ", fate.lost()) + "  via " + via(fate.paths());
            String name = fate.fate().name().toLowerCase(java.util.Locale.ROOT);
            // A site that stays up has nothing to say after its fate: no padding, so no line ends in blanks.
            out.println("  " + pad(fate.domain(), width) + "  "
                    + ansi.string("@|" + style + " " + (why.isEmpty() ? name : pad(name, 9)) + "|@")
                    + (why.isEmpty() ? "" : "  " + why));
        }
        if (tally.hitNotListed() > 0) {
            out.println(ansi.string("@|faint   " + TextReport.count(tally.hitNotListed(), "more site")
                    + " down or degraded, not listed (--all lists them; --format json gives every site)|@"));
        }
        if (!tally.upListed()) {
            out.println(ansi.string("@|faint   " + TextReport.sites(up) + " up, not listed (--all lists them)|@"));
        }
        through(out, ansi, tally.through);
        long down = tally.count(Simulation.Fate.DOWN);
        long degraded = tally.count(Simulation.Fate.DEGRADED);
        out.println();
        out.println(down + " of " + tally.sites() + " sites down, " + degraded + " degraded, " + up + " up"
                + (tally.notAudited > 0 ? "; " + tally.notAudited + " not audited" : "")
                + (tally.unreadable > 0
                        ? "; " + TextReport.count(tally.unreadable, "line") + " of the results not a result, read past"
                        : "")
                + "."
                + incident.flatMap(Scenario::source).map(s -> " Source: " + s).orElse(""));
    }

    /**
     * The failed providers a site depends on, each once with the services it gives the site, those it reaches only
     * through another provider marked: {@code cloudflare:cdn (cdn; content indirectly), cloudflare:content}. A provider
     * used directly for the one service its id names says nothing more.
     */
    static String via(List<Simulation.Path> paths) {
        Map<String, List<String>> services = new LinkedHashMap<>();
        for (Simulation.Path path : paths) {
            String service = path.service() + (path.indirect() ? " indirectly" : "");
            List<String> those = services.computeIfAbsent(path.provider(), p -> new ArrayList<>());
            if (!those.contains(service)) {
                those.add(service);
            }
        }
        return services.entrySet().stream()
                .map(e -> e.getValue()
                                .equals(List.of(e.getKey().substring(e.getKey().lastIndexOf(':') + 1)))
                        ? e.getKey()
                        : e.getKey() + " (" + String.join("; ", e.getValue()) + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * Prints, for each failed provider a site went down or degraded through, how many sites that was: directly, or
     * only through another provider. A long list of sites answers "which"; this answers "how many, and how".
     */
    private static void through(PrintWriter out, Ansi ansi, Map<String, long[]> counts) {
        if (counts.isEmpty()) {
            return;
        }
        int width = TextReport.width("THROUGH", counts.keySet().stream());
        String row = "  %-" + width + "s  %8s  %8s  %8s";
        out.println();
        out.println(ansi.string(
                "@|faint " + String.format(Locale.ROOT, row, "THROUGH", "SITES", "DIRECTLY", "INDIRECT") + "|@"));
        // Most sites first; a stable sort keeps ties in provider order.
        counts.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> -(e.getValue()[0] + e.getValue()[1])))
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
