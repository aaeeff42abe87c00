package dev.chokepoint.export.rdf;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.compose.MultiUnion;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSet;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.system.Txn;

/**
 * A parsed SPARQL query, run over exported RDF: files read with RIOT (the format from the file name) or a TDB2 store.
 * The default graph a query sees is the union of every graph (default and named), so that queries work across runs
 * without {@code GRAPH}; the named graphs stay available to {@code GRAPH} patterns.
 */
public final class SparqlQuery {
    /** The query forms. */
    public enum Form {
        /** Variable bindings. */
        SELECT,
        /** Yes or no. */
        ASK,
        /** A graph built from a template. */
        CONSTRUCT,
        /** A graph about resources. */
        DESCRIBE
    }

    /** What a query's answer is written as. */
    public enum Output {
        /** An aligned text table (SELECT) or {@code Ask => Yes}/{@code No}. */
        TABLE,
        /** SPARQL 1.1 Query Results CSV. */
        CSV,
        /** SPARQL 1.1 Query Results TSV. */
        TSV,
        /** SPARQL 1.1 Query Results JSON. */
        JSON,
        /** Turtle, for CONSTRUCT and DESCRIBE. */
        TTL,
        /** N-Triples, for CONSTRUCT and DESCRIBE. */
        NT;

        /** The name users type, for example {@code csv}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The output named {@code id}, case-insensitive. */
        public static Optional<Output> of(String id) {
            for (Output output : values()) {
                if (output.id().equalsIgnoreCase(id)) {
                    return Optional.of(output);
                }
            }
            return Optional.empty();
        }

        /** Whether this output writes a graph rather than results. */
        public boolean graph() {
            return this == TTL || this == NT;
        }
    }

    private final Query query;

    private SparqlQuery(Query query) {
        this.query = query;
    }

    /**
     * Parses SPARQL 1.1 query text.
     *
     * @throws RdfInputException with the parser's message (line and column) when the query is malformed
     */
    public static SparqlQuery parse(String text) {
        try {
            return new SparqlQuery(QueryFactory.create(text));
        } catch (QueryParseException e) {
            throw new RdfInputException("malformed query: " + describe(e.getMessage()), e);
        }
    }

    // JavaCC's two kinds of message, as Jena's SPARQL parser words them.
    private static final Pattern UNEXPECTED_TOKEN =
            Pattern.compile("Encountered \" \\S+ \"(.*?) ?\"\" at line (\\d+), column (\\d+)\\..*");
    private static final Pattern UNEXPECTED_END =
            Pattern.compile("Encountered \"<EOF>\" at line (\\d+), column (\\d+)\\..*");
    private static final Pattern LEXICAL =
            Pattern.compile("Lexical error at line (\\d+), column (\\d+)\\. Encountered: (?:<EOF>|'(\\d+)' \\(\\d+\\),)"
                    + "(?: after prefix \"(.*)\")?");

    /**
     * The parser's message in words: where, and what it could not take there. JavaCC lists every token it would have
     * accepted instead (dropped), quotes the offending token twice over (its kind, then its text, escaped), and names a
     * character it cannot read by its code ({@code '32' (32)} is a space). A message of another shape is kept as it is.
     */
    private static String describe(String parserMessage) {
        String message = parserMessage.replaceAll("\\s+", " ").strip();
        int expecting = message.indexOf(" Was expecting");
        if (expecting > 0) {
            message = message.substring(0, expecting);
        }
        Matcher m;
        if ((m = UNEXPECTED_END.matcher(message)).matches()) {
            return "the query ends too early (line " + m.group(1) + ", column " + m.group(2) + ")";
        }
        if ((m = UNEXPECTED_TOKEN.matcher(message)).matches()) {
            // The token as typed: JavaCC doubles its backslashes and escapes its quotes.
            String token = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
            return "unexpected \"" + token + "\" at line " + m.group(2) + ", column " + m.group(3);
        }
        if ((m = LEXICAL.matcher(message)).matches()) {
            String where = "line " + m.group(1) + ", column " + m.group(2);
            boolean prefix = m.group(4) != null && !m.group(4).isEmpty();
            if (m.group(3) == null) {
                // The lexer reached the end while reading a token (an unclosed string, a stray character).
                return "cannot read "
                        + (prefix ? "\"" + m.group(4) + "\" at the end of the query" : "the end of the query") + " ("
                        + where + ")";
            }
            return "unexpected " + character(Integer.parseInt(m.group(3)))
                    + (prefix ? " after \"" + m.group(4) + "\"" : "") + " at " + where;
        }
        return message;
    }

    /** A character as a reader would name it. */
    private static String character(int code) {
        return switch (code) {
            case ' ' -> "space";
            case '\t' -> "tab";
            case '\n', '\r' -> "line break";
            default ->
                Character.isISOControl(code) || Character.isWhitespace(code)
                        ? String.format(Locale.ROOT, "character U+%04X", code)
                        : "\"" + Character.toString(code) + "\"";
        };
    }

    /** The query's form. */
    public Form form() {
        if (query.isSelectType()) {
            return Form.SELECT;
        }
        if (query.isAskType()) {
            return Form.ASK;
        }
        if (query.isConstructType()) {
            return Form.CONSTRUCT;
        }
        if (query.isDescribeType()) {
            return Form.DESCRIBE;
        }
        throw new RdfInputException("unsupported query form (expected SELECT, ASK, CONSTRUCT or DESCRIBE)");
    }

    /** The output used when none is asked for: a table for results, Turtle for graphs. */
    public Output defaultOutput() {
        return form() == Form.CONSTRUCT || form() == Form.DESCRIBE ? Output.TTL : Output.TABLE;
    }

    /**
     * Runs the query over {@code dataset} (in a read transaction when the dataset is transactional, as a TDB2 store
     * is) and writes the answer to {@code out}.
     *
     * @throws IllegalArgumentException when {@code output} does not fit the query form (a graph as CSV, results as
     *     Turtle)
     */
    public void run(Dataset dataset, Output output, OutputStream out) {
        boolean graphForm = form() == Form.CONSTRUCT || form() == Form.DESCRIBE;
        if (graphForm != output.graph()) {
            throw new IllegalArgumentException("output " + output.id() + " does not fit a " + form() + " query"
                    + (graphForm ? " (expected ttl or nt)" : " (expected table, csv, tsv or json)"));
        }
        if (dataset.supportsTransactions() && !dataset.isInTransaction()) {
            Txn.executeRead(dataset, () -> execute(dataset, output, out));
        } else {
            execute(dataset, output, out);
        }
    }

    private void execute(Dataset dataset, Output output, OutputStream out) {
        try (QueryExecution execution =
                QueryExecution.dataset(unionView(dataset)).query(query).build()) {
            switch (form()) {
                case SELECT -> writeResults(execution.execSelect(), output, out);
                case ASK -> writeBoolean(execution.execAsk(), output, out);
                case CONSTRUCT -> writeGraph(execution.execConstruct(), output, out);
                case DESCRIBE -> writeGraph(execution.execDescribe(), output, out);
            }
        }
    }

    private void writeResults(ResultSet results, Output output, OutputStream out) {
        switch (output) {
            case CSV -> ResultSetFormatter.outputAsCSV(out, results);
            case TSV -> ResultSetFormatter.outputAsTSV(out, results);
            case JSON -> ResultSetFormatter.outputAsJSON(out, results);
            default -> ResultSetFormatter.out(out, results, query.getPrefixMapping());
        }
    }

    private static void writeBoolean(boolean answer, Output output, OutputStream out) {
        switch (output) {
            case CSV -> ResultSetFormatter.outputAsCSV(out, answer);
            case TSV -> ResultSetFormatter.outputAsTSV(out, answer);
            case JSON -> ResultSetFormatter.outputAsJSON(out, answer);
            default -> ResultSetFormatter.out(out, answer);
        }
    }

    private void writeGraph(Model model, Output output, OutputStream out) {
        model.setNsPrefixes(RdfExport.prefixes());
        model.setNsPrefixes(query.getPrefixMapping());
        RDFDataMgr.write(out, model, output == Output.NT ? RDFFormat.NTRIPLES_UTF8 : RDFFormat.TURTLE_PRETTY);
    }

    /** A view of {@code dataset} whose default graph is the union of all its graphs; named graphs are linked. */
    static Dataset unionView(Dataset dataset) {
        DatasetGraph source = dataset.asDatasetGraph();
        List<Node> names = new ArrayList<>();
        for (Iterator<Node> it = source.listGraphNodes(); it.hasNext(); ) {
            names.add(it.next());
        }
        MultiUnion union = new MultiUnion();
        union.addGraph(source.getDefaultGraph());
        for (Node name : names) {
            union.addGraph(source.getGraph(name));
        }
        DatasetGraph view = DatasetGraphFactory.createGeneral(union);
        for (Node name : names) {
            view.addGraph(name, source.getGraph(name));
        }
        return DatasetFactory.wrap(view);
    }

    /**
     * Reads RDF files into one in-memory dataset, each in the format its name says ({@code .ttl}, {@code .nt},
     * {@code .trig}, {@code .nq}, {@code .jsonld}, {@code .rdf}, …); triples go to the default graph, quads to their
     * named graphs.
     *
     * @throws RdfInputException naming the file when it is missing, of an unknown format or does not parse (with the
     *     parser's line and column)
     */
    public static Dataset load(List<Path> files) {
        Dataset dataset = DatasetFactory.create();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new RdfInputException(file + ": no such file");
            }
            Lang lang = RDFLanguages.filenameToLang(file.getFileName().toString());
            if (lang == null) {
                throw new RdfInputException(file
                        + ": unknown RDF format (expected a name ending in .ttl, .nt, .trig, .nq, .jsonld or .rdf)");
            }
            try {
                RDFParser.source(file)
                        .lang(lang)
                        .errorHandler(org.apache.jena.riot.system.ErrorHandlerFactory.errorHandlerStrictNoLogging)
                        .parse(dataset.asDatasetGraph());
            } catch (RiotException e) {
                throw new RdfInputException(file + ": " + e.getMessage(), e);
            }
        }
        return dataset;
    }

    @Override
    public String toString() {
        return query.toString();
    }
}
