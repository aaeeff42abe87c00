package dev.chokepoint.export.rdf;

/**
 * Bad RDF input from a user: a file that is missing or does not parse (the message names the file and the parser's
 * line), a directory that is not a TDB2 store, or a malformed SPARQL query (the message has the parser's position).
 */
public final class RdfInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for people that names the input. */
    public RdfInputException(String message) {
        super(message);
    }

    /** An exception with a message for people that names the input, and the cause. */
    public RdfInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
