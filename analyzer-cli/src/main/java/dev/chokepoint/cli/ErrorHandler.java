package dev.chokepoint.cli;

import dev.chokepoint.provider.DatasetException;
import dev.chokepoint.snapshot.SnapshotException;
import dev.chokepoint.target.InvalidTargetException;
import picocli.CommandLine;

/**
 * Turns an exception from a command into one line for people and an exit code; the stack trace only with
 * {@code --stacktrace}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        boolean trace = parseResult.hasMatchedOption("--stacktrace")
                || (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--stacktrace"));
        var err = commandLine.getErr();
        if (trace) {
            ex.printStackTrace(err);
        }
        if (ex instanceof InvalidTargetException
                || ex instanceof DatasetException
                || ex instanceof SnapshotException
                || ex instanceof UsageException
                || ex instanceof dev.chokepoint.scan.ScanException
                || ex instanceof dev.chokepoint.export.rdf.RdfInputException) {
            err.println("chokepoint: " + ex.getMessage());
            return ExitCode.USAGE;
        }
        err.println("chokepoint: internal error: " + ex + (trace ? "" : " (run with --stacktrace for details)"));
        return ExitCode.INTERNAL;
    }
}
