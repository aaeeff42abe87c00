package dev.chokepoint.provider;

/** A dataset entry that cannot be used; the message names the file, the line and the reason. */
public final class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception for {@code location} ({@code file:line}, or a file alone). */
    public DatasetException(String location, String reason) {
        super(location + ": " + reason);
    }

    /** Creates an exception for {@code location} with the underlying cause. */
    public DatasetException(String location, String reason, Throwable cause) {
        super(location + ": " + reason, cause);
    }
}
