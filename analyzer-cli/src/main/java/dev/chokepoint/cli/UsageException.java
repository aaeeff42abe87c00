package dev.chokepoint.cli;

/** Bad input that picocli's own parsing cannot catch; reported in one line with exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
