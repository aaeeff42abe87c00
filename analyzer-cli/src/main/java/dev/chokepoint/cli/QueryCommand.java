package dev.chokepoint.cli;

import dev.chokepoint.export.rdf.RdfStore;
import dev.chokepoint.export.rdf.SparqlQuery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chokepoint query SOURCE... QUERY}: SPARQL over RDF exports or a TDB2 store. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) over RDF exports (files ending in .ttl, .nt,"
                    + " .trig, .nq, .jsonld or .rdf) or over one TDB2 store directory. The default graph is the union of"
                    + " every graph, so a query sees every run without GRAPH. Example queries: datasets/queries/.",
        })
final class QueryCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "SOURCE... QUERY",
            description = "RDF files or one TDB2 store directory, then the query text (unless --file is given).")
    List<String> arguments = new ArrayList<>();

    @Option(
            names = "--file",
            paramLabel = "FILE",
            description = "Read the query from FILE, for example datasets/queries/spof-providers.rq; then every"
                    + " argument is a source.")
    Path file;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "table, csv, tsv or json for SELECT and ASK (default table: an aligned text table);"
                    + " ttl or nt for CONSTRUCT and DESCRIBE (default ttl).")
    String format;

    @Mixin
    StackTraceOption stacktrace;

    @Override
    public Integer call() throws IOException {
        Logging.configure(0, false);
        List<String> sources;
        String text;
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException(file + ": no such query file");
            }
            sources = arguments;
            for (String source : sources) {
                if (looksLikeQuery(source) && !Files.exists(Path.of(source))) {
                    throw new UsageException("give the query either as the last argument or with --file, not both");
                }
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            if (arguments.size() < 2) {
                throw new UsageException("give at least one SOURCE and then the query text, or --file FILE");
            }
            sources = arguments.subList(0, arguments.size() - 1);
            text = arguments.getLast();
            if (!looksLikeQuery(text) && Files.exists(Path.of(text))) {
                throw new UsageException(
                        "'" + text + "' is a file, not a query: give the query text last," + " or --file FILE");
            }
        }
        SparqlQuery query = SparqlQuery.parse(text);
        SparqlQuery.Output output = format == null
                ? query.defaultOutput()
                : SparqlQuery.Output.of(format)
                        .orElseThrow(() -> new UsageException(
                                "unknown --format '" + format + "' (expected table, csv, tsv, json, ttl or nt)"));
        if (output.graph() != query.defaultOutput().graph()) {
            throw new UsageException("--format " + output.id() + " does not fit a " + query.form() + " query"
                    + (output.graph() ? " (expected table, csv, tsv or json)" : " (expected ttl or nt)"));
        }
        List<Path> paths = sources.stream().map(Path::of).toList();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        if (paths.stream().anyMatch(Files::isDirectory)) {
            if (paths.size() != 1) {
                throw new UsageException("a TDB2 store directory must be the only SOURCE");
            }
            try (RdfStore store = RdfStore.openExisting(paths.getFirst())) {
                query.run(store.dataset(), output, answer);
            }
        } else {
            query.run(SparqlQuery.load(paths), output, answer);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(answer.toString(StandardCharsets.UTF_8));
        out.flush();
        return ExitCode.OK;
    }

    /** Whether an argument reads as query text rather than a file name: queries have spaces or braces. */
    private static boolean looksLikeQuery(String argument) {
        return argument.isBlank() || argument.contains(" ") || argument.contains("{") || argument.contains("\n");
    }
}
