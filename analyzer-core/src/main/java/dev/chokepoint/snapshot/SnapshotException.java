package dev.chokepoint.snapshot;

import java.nio.file.Path;

/** A snapshot file that cannot be read or written; the message names the file and the reason. */
public final class SnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception about {@code file}. */
    public SnapshotException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
