package dev.chokepoint.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a file or a directory of files so that readers see all of it or none of it: the content goes to a temporary
 * sibling that is moved into place only when writing succeeded, and is deleted when it failed.
 */
public final class AtomicOutput {
    /** Writes to an output stream. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes the content. */
        void write(OutputStream out) throws IOException;
    }

    /** Fills a directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        /** Writes files into {@code directory}, which exists and is empty. */
        void write(Path directory) throws IOException;
    }

    private AtomicOutput() {}

    /** Writes {@code target} through {@code writer}, replacing any file there only on success. */
    public static void file(Path target, StreamWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createFile(sibling(absolute, ".tmp"));
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                writer.write(out);
            }
            move(temporary, absolute);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Writes the directory {@code target} through {@code writer}; an existing directory there is replaced only on
     * success.
     */
    public static void directory(Path target, DirectoryWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = Files.createDirectory(sibling(absolute, ".tmp"));
        Path old = null;
        try {
            writer.write(temporary);
            if (Files.exists(absolute)) {
                old = sibling(absolute, ".old");
                move(absolute, old);
            }
            move(temporary, absolute);
        } finally {
            deleteTree(temporary);
            if (old != null) {
                deleteTree(old);
            }
        }
    }

    /**
     * A hidden name beside {@code target} that nothing else uses. Created with the plain file calls rather than
     * {@code createTempFile}, so that the result gets the permissions the user's umask gives any new file, not 0600.
     */
    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + suffix);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
