package dev.chokepoint.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The formats the dependency graph exports to, by the names users type. */
public enum ExportFormat {
    /** RDF Turtle. */
    TTL("ttl", "ttl", true),
    /** RDF N-Triples, one triple per line, sorted. */
    NT("nt", "nt", true),
    /** JSON-LD with the published context. */
    JSONLD("jsonld", "jsonld", true),
    /** RDF TriG: one named graph per scan run. */
    TRIG("trig", "trig", true),
    /** GraphML with typed keys (Gephi, yEd, Cytoscape). */
    GRAPHML("graphml", "graphml", false),
    /** Graphviz DOT. */
    DOT("dot", "dot", false),
    /** A directory with nodes.csv, edges.csv and findings.csv. */
    CSV("csv", "", false);

    private final String id;
    private final String extension;
    private final boolean rdf;

    ExportFormat(String id, String extension, boolean rdf) {
        this.id = id;
        this.extension = extension;
        this.rdf = rdf;
    }

    /** The name users type, such as {@code ttl}. */
    public String id() {
        return id;
    }

    /** The usual file extension without the dot; empty for a directory format. */
    public String extension() {
        return extension;
    }

    /** Whether this is an RDF serialisation. */
    public boolean rdf() {
        return rdf;
    }

    /** Whether the output is a directory of files rather than one file. */
    public boolean directory() {
        return extension.isEmpty();
    }

    /** The format named {@code name} (case-insensitive), if there is one. */
    public static Optional<ExportFormat> of(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
