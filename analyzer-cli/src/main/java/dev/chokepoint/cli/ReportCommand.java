package dev.chokepoint.cli;

import dev.chokepoint.assess.Concentration;
import dev.chokepoint.assess.ConcentrationReport;
import dev.chokepoint.assess.MarketStructure;
import dev.chokepoint.assess.ProviderImpact;
import dev.chokepoint.assess.SharedFate;
import dev.chokepoint.assess.SiteDependencies;
import dev.chokepoint.export.ConcentrationExport;
import dev.chokepoint.export.ImpactChart;
import dev.chokepoint.export.JsonResults;
import dev.chokepoint.scan.ScanDirectory;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chokepoint report DIR}: provider concentration and impact across a scan's sites, with a chart. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reads a scan directory and reports, per service, which providers the sites use and how many each takes"
                    + " down on its own, directly and through other providers; market structure (shares, HHI, CR-k,"
                    + " Gini); the fewest providers whose joint failure takes down half of the sites; and groups of"
                    + " sites sharing one nameserver set. Writes report.json, report.csv and impact.svg (with --png,"
                    + " impact.png too) into DIR.",
        })
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The scan directory.")
    Path dir;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "What to print: text, json or csv (default: ${DEFAULT-VALUE}). The files are written anyway.")
    String format;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "10",
            description = "Providers shown per service (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(
            names = "--png",
            description = "Also write the charts as PNG (impact.png …), for slides and trackers that take no SVG.")
    boolean png;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress on stderr while a large results file is read.")
    boolean quiet;

    @CommandLine.Mixin
    ColourOption color;

    @Mixin
    StackTraceOption stacktrace;

    @Override
    public Integer call() throws Exception {
        Logging.configure(0, false);
        if (!List.of("text", "json", "csv").contains(format)) {
            throw new UsageException("unknown --format '" + format + "' (expected text, json or csv)");
        }
        if (top < 1 || top > 1000) {
            throw new UsageException("--top must be between 1 and 1000, not " + top);
        }
        Computed computed =
                computeShowingProgress(dir, quiet, spec.commandLine().getErr());
        ConcentrationReport report = computed.report();
        if (computed.unreadable() > 0) {
            spec.commandLine()
                    .getErr()
                    .println("chokepoint: warning: " + dir.resolve(ScanDirectory.RESULTS) + ": "
                            + computed.unreadable() + (computed.unreadable() == 1 ? " line is" : " lines are")
                            + " not a result and left out of the report (damaged; scanning again audits those sites"
                            + " again)");
        }
        List<Path> written = write(dir, report, top, png);
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "json" -> ConcentrationExport.writeJson(report, out);
            case "csv" -> ConcentrationExport.writeCsv(report, out);
            default -> print(report, out, color.ansi(), top, written);
        }
        out.flush();
        return ExitCode.OK;
    }

    /**
     * A report, and how many lines of the results were read past as not results (damaged in the middle of the
     * file; a last line torn by a crash is skipped without counting).
     */
    record Computed(ConcentrationReport report, long unreadable) {}

    /**
     * Computes the report of the scan in {@code dir}, showing on {@code err} how far its first pass over a large
     * results file has read (unless {@code quiet}): for {@code report}, and for a resumed scan's report at its end.
     */
    static Computed computeShowingProgress(Path dir, boolean quiet, PrintWriter err) {
        try (Progress progress = Progress.reading("report", size(dir), quiet, Terminal.isTerminal(), err)) {
            return computeCounting(dir, progress::read);
        }
    }

    /**
     * Computes the report of the scan in {@code dir}, streaming its results as often as the metrics need, and tells
     * {@code read} how many bytes of them its first pass (the one every report makes) has read, for progress.
     */
    static Computed computeCounting(Path dir, LongConsumer read) {
        try {
            ScanDirectory.lines(dir).close();
        } catch (NoSuchFileException e) {
            throw new UsageException(dir + ": not a scan directory (no " + ScanDirectory.RESULTS + ")");
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot read (" + e.getMessage() + ")");
        }
        // The metrics read the results in one pass or more; each pass meets the same unreadable lines.
        List<LongAdder> passes = new ArrayList<>();
        ConcentrationReport report;
        try {
            report = Concentration.compute(() -> {
                LongAdder unreadable = new LongAdder();
                // Progress follows the first pass (see Concentration.compute).
                LongConsumer counted = passes.isEmpty() ? read : bytes -> {};
                passes.add(unreadable);
                return sites(dir, unreadable, counted);
            });
        } catch (UncheckedIOException e) {
            throw failed(dir, e);
        }
        return new Computed(
                report, passes.stream().mapToLong(LongAdder::sum).max().orElse(0));
    }

    /**
     * A file that failed while the report was computed, as one line: the results read again, or the temporary files
     * of counts too many to hold (in {@code java.io.tmpdir}).
     */
    static UsageException failed(Path dir, UncheckedIOException e) {
        return new UsageException(dir + ": cannot compute the report: " + e.getMessage());
    }

    /** The sites of the scan in {@code dir}, read from its results file as the stream is consumed. */
    static Stream<SiteDependencies> sites(Path dir) {
        return sites(dir, new LongAdder(), bytes -> {});
    }

    /** The size of the results file in {@code dir}, for progress; 0 when there is none (an error later). */
    static long size(Path dir) {
        try {
            return Files.size(dir.resolve(ScanDirectory.RESULTS));
        } catch (IOException e) {
            return 0;
        }
    }

    private static Stream<SiteDependencies> sites(Path dir, LongAdder unreadable, LongConsumer read) {
        try {
            return ScanDirectory.lines(dir)
                    .peek(line -> read.accept(Progress.bytes(line)))
                    .flatMap(line -> {
                        try {
                            return JsonResults.dependencies(line).stream();
                        } catch (IOException e) {
                            unreadable.increment();
                            return Stream.empty();
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(ScanDirectory.RESULTS) + ": " + e.getMessage(), e);
        }
    }

    /** The services that get a chart of their own beside the one of all services. */
    private static final List<String> CHARTED_SERVICES = List.of("dns", "cdn", "content");

    /**
     * Writes report.json, report.csv and the impact charts (SVG, and PNG with {@code png}) into {@code dir}, each
     * atomically, and returns the files written. A chart not written this time (a service without providers, or a
     * PNG not asked for) is removed if an earlier report left one, so the directory never shows a chart of other
     * results.
     */
    static List<Path> write(Path dir, ConcentrationReport report, int top, boolean png) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(atomically(dir.resolve("report.json"), w -> ConcentrationExport.writeJson(report, w)));
        written.add(atomically(dir.resolve("report.csv"), w -> ConcentrationExport.writeCsv(report, w)));
        chart(dir, "impact", report, Concentration.ALL_SERVICES, top, png, written);
        for (String service : CHARTED_SERVICES) {
            chart(dir, "impact-" + service, report, service, top, png, written);
        }
        return written;
    }

    private static void chart(
            Path dir, String name, ConcentrationReport report, String service, int top, boolean png, List<Path> written)
            throws IOException {
        Path svg = dir.resolve(name + ".svg");
        Path image = dir.resolve(name + ".png");
        boolean drawn = service.equals(Concentration.ALL_SERVICES)
                || !report.providers(service).isEmpty();
        if (drawn) {
            written.add(atomically(svg, w -> ImpactChart.writeSvg(report, service, top, w)));
        } else {
            Files.deleteIfExists(svg);
        }
        if (drawn && png) {
            written.add(atomicallyBinary(image, o -> ImpactChart.writePng(report, service, top, o)));
        } else {
            Files.deleteIfExists(image);
        }
    }

    private interface Body {
        void write(Writer writer) throws IOException;
    }

    private interface BinaryBody {
        void write(OutputStream out) throws IOException;
    }

    private static Path atomically(Path target, Body body) throws IOException {
        return atomicallyBinary(target, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            body.write(writer);
            writer.flush();
        });
    }

    private static Path atomicallyBinary(Path target, BinaryBody body) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
            body.write(out);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Prints the aligned terminal report. */
    static void print(ConcentrationReport report, PrintWriter out, Ansi ansi, int top, List<Path> written) {
        out.println(ansi.string("@|bold Provider concentration across " + TextReport.sites(report.sites()) + "|@"));
        out.println();
        for (var entry : report.impacts().entrySet()) {
            List<ProviderImpact> providers = entry.getValue();
            if (providers.isEmpty()) {
                continue;
            }
            MarketStructure market = report.markets().get(entry.getKey());
            String heading = entry.getKey().toUpperCase(Locale.ROOT)
                    + Optional.ofNullable(market)
                            .map(m -> String.format(
                                    Locale.ROOT,
                                    "  %d sites · %d providers · HHI %.0f · CR1 %.0f%% · CR3 %.0f%% · CR5 %.0f%% · Gini %.2f",
                                    m.sites(),
                                    m.providers(),
                                    m.hhi(),
                                    m.cr1() * 100,
                                    m.cr3() * 100,
                                    m.cr5() * 100,
                                    m.gini()))
                            .orElse("");
            out.println(ansi.string("@|bold " + heading + "|@"));
            int width =
                    TextReport.width("PROVIDER", providers.stream().limit(top).map(p -> p.name()));
            out.println(ansi.string(String.format(
                    Locale.ROOT,
                    "@|faint   %-" + width + "s  %8s  %8s  %8s  %8s  %6s|@",
                    "PROVIDER",
                    "USED BY",
                    "+INDIR.",
                    "SPOF FOR",
                    "+INDIR.",
                    "AMPL.")));
            for (ProviderImpact p : providers.stream().limit(top).toList()) {
                String line = String.format(
                        Locale.ROOT,
                        "  %-" + width + "s  %8d  %8d  %8d  %8d  %6s",
                        p.name(),
                        p.directSites(),
                        p.allSites(),
                        p.directImpact(),
                        p.allImpact(),
                        p.amplification().isPresent()
                                ? String.format(
                                        Locale.ROOT, "%.2f", p.amplification().getAsDouble())
                                : "-");
                out.println(p.allImpact() > 0 ? ansi.string("@|red " + line + "|@") : line);
            }
            if (providers.size() > top) {
                // The heading counts them all; say where the rest are rather than let the table pass for all. "report"
                // because a scan prints this table too, and has no --top.
                out.println(ansi.string("@|faint   … " + TextReport.count(providers.size() - top, "more provider")
                        + " (report --top " + providers.size() + " shows all; report.csv has them)|@"));
            }
            out.println();
        }
        var half = report.halfDown();
        out.println(ansi.string("@|bold Half of the sites down|@") + ": "
                + (half.reached()
                        ? (half.size() == 1
                                        ? "1 provider (" + half.components().getFirst() + ") takes down "
                                        : half.size() + " providers failing together ("
                                                + String.join(", ", half.components()) + ") take down ")
                                + half.sitesDown() + " of "
                                + half.workingSites() + " sites (greedy estimate)."
                        : "no set of up to " + Concentration.MAX_HALF_DOWN_PROVIDERS + " providers does it."));
        if (!report.sharedFate().isEmpty()) {
            out.println();
            out.println(ansi.string("@|bold Shared fate|@ (sites with one identical nameserver set):"));
            List<SharedFate> shown = report.sharedFate().stream().limit(5).toList();
            int sitesWidth = TextReport.width("SITES", shown.stream().map(g -> Long.toString(g.sites())));
            int nameserversWidth =
                    TextReport.width("NAMESERVERS", shown.stream().map(g -> String.join(" ", g.nameservers())));
            String row = "  %" + sitesWidth + "s  %-" + nameserversWidth + "s  %s";
            out.println(ansi.string(
                    "@|faint " + String.format(Locale.ROOT, row, "SITES", "NAMESERVERS", "FOR EXAMPLE") + "|@"));
            for (SharedFate group : shown) {
                out.println(String.format(
                                Locale.ROOT,
                                row,
                                group.sites(),
                                String.join(" ", group.nameservers()),
                                String.join(
                                        ", ", group.examples().stream().limit(3).toList()))
                        .stripTrailing());
            }
            if (report.sharedFate().size() > 5) {
                out.println(ansi.string("@|faint   … "
                        + TextReport.count(report.sharedFate().size() - 5, "more group") + " in report.json|@"));
            }
        }
        out.println();
        if (!written.isEmpty()) {
            // The first with its directory, the rest by name: they all sit beside it.
            String names = written.stream()
                    .skip(1)
                    .map(p -> p.getFileName().toString())
                    .collect(Collectors.joining(", "));
            out.println(ansi.string(
                    "@|faint Written: " + written.getFirst() + (names.isEmpty() ? "" : ", " + names) + "|@"));
        }
    }
}
