package dev.chokepoint.cli;

import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.JsonResults;
import dev.chokepoint.provider.Datasets;
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
                    + " of failure and findings to --out.",
            "Formats: ttl, nt, jsonld, trig (RDF, vocabulary in datasets/vocabulary), graphml (Gephi, yEd,"
                    + " Cytoscape), dot (Graphviz), csv (a directory with nodes.csv, edges.csv, findings.csv).",
        })
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "FORMAT",
            description = "ttl, nt, jsonld, trig, graphml, dot or csv.")
    String format;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "PATH",
            description = "The file to write (a directory for csv); replaced only once the export is complete.")
    Path out;

    @Option(
            names = "--from",
            paramLabel = "DIR",
            description = "Export the sites of a batch scan, replayed from its snapshots, instead of TARGETs.")
    Path from;

    @CommandLine.Mixin
    AuditInputs inputs;

    @CommandLine.Mixin
    VerbosityOptions verbosity;

    @Override
    public Integer call() throws Exception {
        verbosity.configureLogging();
        ExportFormat exportFormat = Exports.format(format);
        Exports.checkOut(out, exportFormat);
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
        Exports.write(batch, exportFormat, out);
        PrintWriter err = spec.commandLine().getErr();
        Exports.reportErrors(batch, err);
        if (!verbosity.quiet) {
            err.println("chokepoint: wrote " + out + " (" + exportFormat + "): " + Exports.summary(batch));
        }
        err.flush();
        return Exports.anyFailed(batch) ? ExitCode.NOT_AUDITED : ExitCode.OK;
    }

    /** Replays the scan directory's snapshots for the sites in its results. */
    private AuditInputs.Collected fromScan() throws Exception {
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
        WarcSnapshot snapshot = WarcSnapshot.read(snapshots, true);
        return inputs.collect(
                data, snapshot, domains, from.toAbsolutePath().getFileName().toString());
    }
}
