package dev.chokepoint.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How much a command says on stderr: -v/-vv for logs, -q for errors only, --stacktrace for internal errors. */
final class VerbosityOptions {
    @Option(
            names = {"-v", "--verbose"},
            description = "Log to stderr; -vv for debug detail.")
    boolean[] verbose = new boolean[0];

    @Option(
            names = {"-q", "--quiet"},
            description = "Print nothing but errors; the exit code tells the result.")
    boolean quiet;

    @Mixin
    StackTraceOption stacktrace;

    /** Configures logging for these options. */
    void configureLogging() {
        Logging.configure(verbose.length, quiet);
    }
}
