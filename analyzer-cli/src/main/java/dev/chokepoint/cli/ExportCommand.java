package dev.chokepoint.cli;

import dev.chokepoint.export.AtomicOutput;
import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.JsonResults;
import dev.chokepoint.export.RunInfo;
import dev.chokepoint.export.rdf.RdfExport;
import dev.chokepoint.export.rdf.RdfStore;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.ScanDirectory;
import dev.chokepoint.snapshot.WarcSnapshot;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chokepoint export}: the dependency graph of audited sites, or of a batch scan, as RDF, GraphML, DOT or CSV. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Audits each TARGET (live, or from --replay; with --replay and no TARGET every site in the snapshot), or"
                    + " replays a batch scan with --from, and writes the dependency graph with providers, single points"
                    + " of failure and findings to --out, or into a TDB2 store with --store.",
            "Formats: ttl, nt, jsonld, trig (RDF, vocabulary in datasets/vocabulary), graphml (Gephi, yEd,"
                    + " Cytoscape), dot (Graphviz), csv (a directory with nodes.csv, edges.csv, findings.csv).",
        })
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", description = "ttl, nt, jsonld, trig, graphml, dot or csv.")
    String format;

    @Option(
            names = "--out",
            paramLabel = "PATH",
            description = "The file to write (a directory for csv); replaced only once the export is complete. A scan"
                    + " (--from) in nt, ttl or trig is written " + PART + " sites at a time, so that memory does not"
                    + " hold its whole graph.")
    Path out;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description =
                    "Add the run to the TDB2 store in DIR (created when absent). Without --out, a scan (--from) is"
                            + " added " + PART + " sites at a time, so that memory does not hold its whole graph.")
    Path store;

    @Option(
            names = "--from",
            paramLabel = "DIR",
            description = "Export the sites of a batch scan, replayed from its snapshots, instead of TARGETs.")
    Path from;

    @CommandLine.Mixin
    AuditInputs inputs;

    @CommandLine.Mixin
    VerbosityOptions verbosity;

    /** Sites audited and written at a time when a scan streams into a store or an RDF file. */
    static final int PART = 500;

    @Option(
            names = {"--part", "--store-part"},
            hidden = true,
            defaultValue = "" + PART,
            description = "Sites per part when a scan streams into a store or a file (tests use small parts).")
    int part;

    @Option(
            names = "--shared-window",
            hidden = true,
            defaultValue = "" + RdfExport.SHARED_WINDOW,
            description = "Triples of shared nodes remembered when a scan streams into a file (tests use a small one).")
    int sharedWindow;

    @Override
    public Integer call() throws Exception {
        verbosity.configureLogging();
        if (out == null && store == null) {
            throw new UsageException("nothing to write: give --format and --out, or --store DIR, or both");
        }
        if ((out == null) != (format == null)) {
            throw new UsageException(out == null ? "--format needs --out PATH" : "--out needs --format FORMAT");
        }
        ExportFormat exportFormat = out == null ? null : Exports.format(format);
        if (out != null) {
            Exports.checkOut(out, exportFormat);
        }
        if (store != null) {
            Exports.checkStore(store);
        }
        if (part < 1) {
            throw new UsageException("--part must be at least 1, not " + part);
        }
        if (sharedWindow < 1) {
            throw new UsageException("--shared-window must be at least 1, not " + sharedWindow);
        }
        if (out == null && from != null) {
            return streamScanIntoStore();
        }
        if (store == null && from != null && STREAMED.contains(exportFormat)) {
            return streamScanIntoFile(exportFormat);
        }
        AuditInputs.Collected collected;
        String kind;
        if (from != null) {
            collected = fromScan();
            kind = "scan";
        } else {
            collected = inputs.collect();
            kind = "audit";
        }
        ExportBatch batch = Exports.batch(collected, kind);
        PrintWriter err = spec.commandLine().getErr();
        if (out != null) {
            Exports.write(batch, exportFormat, out);
        }
        if (store != null) {
            Exports.store(batch, store);
        }
        Exports.reportErrors(batch.results(), err);
        if (!verbosity.quiet) {
            String where = out == null ? store.toString() : out + " (" + exportFormat + ")";
            err.println("chokepoint: wrote " + where + ": " + Exports.summary(batch));
        }
        err.flush();
        return Exports.anyFailed(batch) ? ExitCode.NOT_AUDITED : ExitCode.OK;
    }

    /** The formats a scan is written to a file in, part by part: the others need the whole graph at once. */
    private static final Set<ExportFormat> STREAMED = EnumSet.of(ExportFormat.NT, ExportFormat.TTL, ExportFormat.TRIG);

    /** Replays a scan part by part into the store: memory holds one part's graphs, not the whole scan's. */
    private int streamScanIntoStore() throws Exception {
        Scan scan = readScan();
        PrintWriter err = spec.commandLine().getErr();
        Parts parts = new Parts(scan);
        long triples;
        try (Progress progress =
                        Progress.start("export", scan.domains().size(), verbosity.quiet, Terminal.isTerminal(), err);
                RdfStore rdf = RdfStore.open(store)) {
            triples = rdf.addInParts(parts.reporting(progress));
        } catch (PartFailed e) {
            throw e.getCause();
        } catch (java.io.IOException e) {
            throw new UsageException("cannot use --store " + store + ": " + e.getMessage());
        }
        Exports.reportErrors(parts.failures, err);
        if (!verbosity.quiet) {
            err.println("chokepoint: added " + parts.summary() + ", " + triples + " triples, run " + parts.run.id()
                    + " to " + store);
        }
        err.flush();
        return parts.failed > 0 ? ExitCode.NOT_AUDITED : ExitCode.OK;
    }

    /**
     * Replays a scan part by part into an RDF file: memory holds one part's graphs and a window of the triples sites
     * share, not the whole scan's graph. The file replaces {@code --out} once complete.
     */
    private int streamScanIntoFile(ExportFormat exportFormat) throws Exception {
        Scan scan = readScan();
        PrintWriter err = spec.commandLine().getErr();
        Parts parts = new Parts(scan);
        RdfExport.PartsWritten[] written = {null};
        try (Progress progress =
                Progress.start("export", scan.domains().size(), verbosity.quiet, Terminal.isTerminal(), err)) {
            AtomicOutput.file(
                    out,
                    stream -> written[0] =
                            RdfExport.writeInParts(parts.reporting(progress), exportFormat, stream, sharedWindow));
        } catch (PartFailed e) {
            throw e.getCause();
        }
        Exports.reportErrors(parts.failures, err);
        if (!verbosity.quiet) {
            err.println("chokepoint: wrote " + out + " (" + exportFormat + "): " + parts.summary() + ", "
                    + written[0].triples() + " triples, run " + parts.run.id()
                    + (written[0].exact()
                            ? ""
                            : "; the nodes sites share were too many to remember, so some of their triples may be"
                                    + " repeated and the triple count is left out of the file"));
        }
        err.flush();
        return parts.failed > 0 ? ExitCode.NOT_AUDITED : ExitCode.OK;
    }

    /** A scan's sites replayed {@link #part} at a time, counted as they go. */
    private final class Parts {
        private final Scan scan;
        private final String source;
        private RunInfo run;
        private int audited;
        private int failed;
        /** The sites that could not be audited, as the whole-batch path lists them (after the progress bar). */
        private final List<AuditResult> failures = new java.util.ArrayList<>();

        Parts(Scan scan) {
            this.scan = scan;
            this.source = from.toAbsolutePath().getFileName().toString();
        }

        /** The parts, each reported to {@code progress} as it is replayed; a part that fails throws PartFailed. */
        Iterable<ExportBatch> reporting(Progress progress) {
            return () -> new java.util.Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < scan.domains().size();
                }

                @Override
                public ExportBatch next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    List<String> sites = scan.domains()
                            .subList(next, Math.min(next + part, scan.domains().size()));
                    next += sites.size();
                    AuditInputs.Collected collected;
                    try {
                        collected = inputs.collect(scan.datasets(), scan.snapshot(), sites, source);
                    } catch (Exception e) {
                        throw new PartFailed(e);
                    }
                    if (run == null) {
                        run = Exports.run(collected, "scan", scan.domains());
                    }
                    ExportBatch batch = new ExportBatch(run, collected.results());
                    for (AuditResult result : batch.results()) {
                        progress.finished(result);
                        if (result.ok()) {
                            audited++;
                        } else {
                            failed++;
                            failures.add(result);
                        }
                    }
                    return batch;
                }
            };
        }

        /** "N sites (M not audited)". */
        String summary() {
            return audited + " sites" + (failed > 0 ? " (" + failed + " not audited)" : "");
        }
    }

    /** Carries a checked failure of one part out of the iterator the store pulls parts from. */
    private static final class PartFailed extends RuntimeException {
        PartFailed(Exception cause) {
            super(cause);
        }

        @Override
        public synchronized Exception getCause() {
            return (Exception) super.getCause();
        }
    }

    /** What a scan directory holds for an export: its sites, its snapshots read as one, and the datasets. */
    private record Scan(List<String> domains, WarcSnapshot snapshot, Datasets datasets) {}

    /** Replays the scan directory's snapshots for the sites in its results. */
    private AuditInputs.Collected fromScan() throws Exception {
        Scan scan = readScan();
        return inputs.collect(
                scan.datasets(),
                scan.snapshot(),
                scan.domains(),
                from.toAbsolutePath().getFileName().toString());
    }

    private Scan readScan() throws Exception {
        if (inputs.anyGiven()) {
            throw new UsageException(
                    "--from exports the sites of a scan directory: it takes no TARGET, --replay or" + " --record");
        }
        Datasets data = inputs.datasets();
        if (!Files.isRegularFile(from.resolve(ScanDirectory.RESULTS))) {
            throw new UsageException(from + ": not a scan directory (no " + ScanDirectory.RESULTS + ")");
        }
        List<Path> snapshots;
        try (Stream<Path> files = Files.list(from)) {
            snapshots = files.filter(p -> p.getFileName().toString().matches("snapshot-.*\\.warc(\\.gz)?"))
                    .sorted()
                    .toList();
        }
        if (snapshots.isEmpty()) {
            throw new UsageException(from + ": no snapshot to replay (was it scanned with --no-snapshot?)");
        }
        List<String> domains;
        try (Stream<String> lines = ScanDirectory.lines(from)) {
            // A line that is not a result (damaged in the middle of the file) is read past, as by report.
            domains = lines.map(JsonResults::domainOf)
                    .flatMap(Optional::stream)
                    .distinct()
                    .toList();
        }
        if (domains.isEmpty()) {
            throw new UsageException(from + ": no results yet");
        }
        return new Scan(domains, WarcSnapshot.read(snapshots, true), data);
    }
}
