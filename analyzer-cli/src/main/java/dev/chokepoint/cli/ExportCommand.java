package dev.chokepoint.cli;

import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.JsonResults;
import dev.chokepoint.export.RunInfo;
import dev.chokepoint.export.rdf.RdfStore;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.ScanDirectory;
import dev.chokepoint.snapshot.WarcSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            description = "The file to write (a directory for csv); replaced only once the export is complete.")
    Path out;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description =
                    "Add the run to the TDB2 store in DIR (created when absent). Without --out, a scan (--from) is"
                            + " added " + PART + " sites at a time, so that its size is not bounded by memory.")
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

    /** Sites audited and stored at a time when a scan streams into a store. */
    static final int PART = 500;

    @Option(
            names = "--store-part",
            hidden = true,
            defaultValue = "" + PART,
            description = "Sites per part when a scan streams into a store (tests use small parts).")
    int part;

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
            throw new UsageException("--store-part must be at least 1, not " + part);
        }
        if (out == null && from != null) {
            return streamScanIntoStore();
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

    /** Replays a scan part by part into the store: memory holds one part's graphs, not the whole scan's. */
    private int streamScanIntoStore() throws Exception {
        Scan scan = readScan();
        PrintWriter err = spec.commandLine().getErr();
        String source = from.toAbsolutePath().getFileName().toString();
        RunInfo[] run = {null};
        int[] audited = {0};
        int[] failed = {0};
        long triples;
        try (Progress progress =
                        Progress.start("export", scan.domains().size(), verbosity.quiet, Terminal.isTerminal(), err);
                RdfStore rdf = RdfStore.open(store)) {
            Iterable<ExportBatch> parts = () -> new java.util.Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < scan.domains().size();
                }

                @Override
                public ExportBatch next() {
                    List<String> sites = scan.domains()
                            .subList(next, Math.min(next + part, scan.domains().size()));
                    next += sites.size();
                    AuditInputs.Collected collected;
                    try {
                        collected = inputs.collect(scan.datasets(), scan.snapshot(), sites, source);
                    } catch (Exception e) {
                        throw new PartFailed(e);
                    }
                    if (run[0] == null) {
                        run[0] = Exports.run(collected, "scan", scan.domains());
                    }
                    ExportBatch batch = new ExportBatch(run[0], collected.results());
                    for (AuditResult result : batch.results()) {
                        progress.finished(result);
                        if (result.ok()) {
                            audited[0]++;
                        } else {
                            failed[0]++;
                        }
                    }
                    return batch;
                }
            };
            triples = rdf.addInParts(parts);
        } catch (PartFailed e) {
            throw e.getCause();
        } catch (java.io.IOException e) {
            throw new UsageException("cannot use --store " + store + ": " + e.getMessage());
        }
        if (!verbosity.quiet) {
            err.println("chokepoint: added " + audited[0] + " sites"
                    + (failed[0] > 0 ? " (" + failed[0] + " not audited)" : "") + ", " + triples + " triples, run "
                    + run[0].id() + " to " + store);
        }
        err.flush();
        return failed[0] > 0 ? ExitCode.NOT_AUDITED : ExitCode.OK;
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
            domains = lines.map(line -> {
                        try {
                            return JsonResults.domain(JsonResults.parse(line));
                        } catch (IOException e) {
                            throw new UsageException(from + ": unreadable result line (" + e.getMessage() + ")");
                        }
                    })
                    .distinct()
                    .toList();
        }
        if (domains.isEmpty()) {
            throw new UsageException(from + ": no results yet");
        }
        return new Scan(domains, WarcSnapshot.read(snapshots, true), data);
    }
}
