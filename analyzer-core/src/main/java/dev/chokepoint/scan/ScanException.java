package dev.chokepoint.scan;

/** A scan that cannot start or go on: its directory is locked or cannot be written. The message names the path. */
public final class ScanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with {@code message}. */
    public ScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
