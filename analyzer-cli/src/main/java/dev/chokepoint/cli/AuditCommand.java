package dev.chokepoint.cli;

import dev.chokepoint.assess.Finding;
import dev.chokepoint.assess.Severity;
import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import dev.chokepoint.export.JsonReport;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chokepoint audit}: audits sites and reports their providers, single points of failure and findings. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Audits each TARGET (a domain name or URL; IDN accepted) and reports the providers its DNS, web and"
                    + " mail depend on, the single points of failure and the findings.",
        })
final class AuditCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    AuditInputs inputs;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: text, json, or an export format to stdout: ttl, nt, jsonld, trig, graphml,"
                    + " dot (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            description = "Also add the audit to the TDB2 triple store in DIR (created when absent), as one named"
                    + " graph per run; query it with chokepoint query DIR.")
    java.nio.file.Path store;

    @Option(
            names = "--fail-on",
            paramLabel = "SEVERITY",
            defaultValue = "none",
            description = "Exit with 3 when a finding is at or above this severity: none, info, low, medium, high,"
                    + " critical (default: ${DEFAULT-VALUE}).")
    String failOn;

    @CommandLine.Mixin
    ColourOption color;

    @CommandLine.Mixin
    VerbosityOptions verbosity;

    private boolean webAudited;

    @Override
    public Integer call() throws Exception {
        verbosity.configureLogging();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ExportFormat> export = format.equals("text") || format.equals("json")
                ? Optional.empty()
                : Optional.of(ExportFormat.of(format)
                        .filter(f -> !f.directory())
                        .orElseThrow(() -> new UsageException("unknown --format '" + format
                                + "' (expected text, json, ttl, nt, jsonld, trig, graphml or dot; csv writes a"
                                + " directory: use chokepoint export)")));
        Optional<Severity> threshold = parseFailOn(failOn);
        if (store != null) {
            Exports.checkStore(store);
        }
        boolean colour = color.on();
        AuditInputs.Collected collected = inputs.collect();
        List<AuditResult> results = collected.results();
        Datasets data = collected.datasets();
        webAudited = collected.web();

        if (export.isPresent() || store != null) {
            ExportBatch batch = Exports.batch(collected, "audit");
            if (store != null) {
                Exports.store(batch, store);
            }
            if (export.isPresent() && !verbosity.quiet) {
                // Through the command's writer, so that tests capture it like every other report.
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                Exports.write(batch, export.get(), bytes);
                out.print(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (export.isEmpty() && !verbosity.quiet) {
            if (format.equals("json")) {
                JsonReport.write(results, data, out);
            } else {
                new TextReport(out, colour).print(results, data, webAudited);
            }
        }
        out.flush();
        Exports.reportErrors(results, err);
        if (results.stream().anyMatch(r -> !r.ok())) {
            return ExitCode.NOT_AUDITED;
        }
        if (threshold.isPresent()) {
            Severity limit = threshold.get();
            boolean failed = results.stream()
                    .flatMap(r -> r.assessment().stream())
                    .flatMap(a -> a.findings().stream())
                    .map(Finding::severity)
                    .anyMatch(s -> s.compareTo(limit) >= 0);
            if (failed) {
                return ExitCode.FINDINGS;
            }
        }
        return ExitCode.OK;
    }

    static Optional<Severity> parseFailOn(String value) {
        if (value.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(Severity.fromId(value)
                .orElseThrow(() -> new UsageException(
                        "unknown --fail-on '" + value + "' (expected none, " + Severity.ids() + ")")));
    }
}
