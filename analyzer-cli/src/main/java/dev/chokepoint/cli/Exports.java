package dev.chokepoint.cli;

import dev.chokepoint.export.AtomicOutput;
import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.GraphExport;
import dev.chokepoint.export.RunInfo;
import dev.chokepoint.export.rdf.RdfExport;
import dev.chokepoint.export.rdf.RdfStore;
import dev.chokepoint.scan.AuditResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** What {@code export} and {@code audit --format/--store} share: format names, run info, writing and the store. */
final class Exports {
    private Exports() {}

    /** The names {@code --format} accepts for exports. */
    static String names() {
        return Arrays.stream(ExportFormat.values()).map(ExportFormat::id).collect(Collectors.joining(", "));
    }

    /** The export format named {@code name}, or a usage error. */
    static ExportFormat format(String name) {
        return ExportFormat.of(name)
                .orElseThrow(() -> new UsageException("unknown --format '" + name + "' (expected " + names() + ")"));
    }

    /** The batch for collected results: the run named by kind, start and sites. */
    static ExportBatch batch(AuditInputs.Collected collected, String kind) {
        return new ExportBatch(
                run(
                        collected,
                        kind,
                        collected.results().stream()
                                .map(r -> r.domain().ascii())
                                .toList()),
                collected.results());
    }

    /** The run of collected results that are part of a run over {@code domains}. */
    static RunInfo run(AuditInputs.Collected collected, String kind, List<String> domains) {
        return new RunInfo(
                RunInfo.id(kind, collected.started(), domains),
                collected.started(),
                collected.ended(),
                toolVersion(),
                collected.datasets().asns().version(),
                collected.resolvers(),
                collected.source());
    }

    private static String toolVersion() {
        return new Main.Version().getVersion()[0].replaceFirst("^chokepoint ", "");
    }

    /** Fails with a usage error, before any audit, when {@code out} cannot be written as {@code format}. */
    static void checkOut(Path out, ExportFormat format) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("cannot write --out " + out + ": no such directory " + parent);
        }
        if (!Files.isWritable(parent)) {
            throw new UsageException("cannot write --out " + out + ": directory " + parent + " is not writable");
        }
        if (format.directory() && Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException(
                    "cannot write --out " + out + ": " + format + " writes a directory and " + out + " is a file");
        }
        if (!format.directory() && Files.isDirectory(out)) {
            throw new UsageException("cannot write --out " + out + ": it is a directory");
        }
    }

    /** Writes {@code batch} to {@code out} as {@code format}: all of it, or nothing and the old file kept. */
    static void write(ExportBatch batch, ExportFormat format, Path out) throws IOException {
        if (format.rdf()) {
            AtomicOutput.file(out, stream -> RdfExport.write(batch, format, stream));
        } else {
            GraphExport.write(batch, format, out);
        }
    }

    /** Writes {@code batch} to a stream as a one-file {@code format}. */
    static void write(ExportBatch batch, ExportFormat format, OutputStream out) throws IOException {
        switch (format) {
            case TTL, NT, JSONLD, TRIG -> RdfExport.write(batch, format, out);
            case GRAPHML -> GraphExport.writeGraphMl(dev.chokepoint.export.ExportGraph.of(batch), out);
            case DOT -> GraphExport.writeDot(dev.chokepoint.export.ExportGraph.of(batch), out);
            case CSV ->
                throw new UsageException(
                        "csv writes a directory of files: use chokepoint export --format csv --out DIR");
        }
    }

    /** Fails with a usage error, before any audit, when {@code directory} cannot hold a store. */
    static void checkStore(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new UsageException("cannot use --store " + directory + ": it is a file");
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (!Files.exists(directory) && (parent == null || !Files.isDirectory(parent))) {
            throw new UsageException("cannot use --store " + directory + ": no such directory " + parent);
        }
    }

    /** Adds {@code batch} to the TDB2 store in {@code directory}, creating it when absent. */
    static void store(ExportBatch batch, Path directory) {
        checkStore(directory);
        try (RdfStore store = RdfStore.open(directory)) {
            store.add(batch);
        } catch (IOException e) {
            // A store in use or not a store is an RdfInputException naming the directory (exit 2 by the error
            // handler); anything else unchecked is a bug and must not be reported as bad input.
            throw new UsageException("cannot use --store " + directory + ": " + e.getMessage());
        }
    }

    /** One line for people about what was exported. */
    static String summary(ExportBatch batch) {
        long audited = batch.audited().size();
        long failed = batch.results().size() - audited;
        return audited + (audited == 1 ? " site" : " sites") + (failed > 0 ? " (" + failed + " not audited)" : "")
                + ", run " + batch.run().id();
    }

    /** Whether some result is a failure. */
    static boolean anyFailed(ExportBatch batch) {
        return batch.results().stream().anyMatch(r -> !r.ok());
    }

    /** One line on {@code err} for each result that could not be audited, naming the target and the reason. */
    static void reportErrors(List<AuditResult> results, java.io.PrintWriter err) {
        for (AuditResult result : results) {
            result.error().ifPresent(e -> err.println("chokepoint: " + result.target() + ": " + e));
        }
    }
}
