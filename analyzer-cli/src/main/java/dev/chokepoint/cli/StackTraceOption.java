package dev.chokepoint.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --stacktrace} option, as a picocli mixin. {@link ErrorHandler} reads it from the parse result, so the
 * field is only there for picocli to declare the option.
 */
final class StackTraceOption {
    @Option(names = "--stacktrace", description = "Print the stack trace of an internal error.")
    boolean stacktrace;
}
