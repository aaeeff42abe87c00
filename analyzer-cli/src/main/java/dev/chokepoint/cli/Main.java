package dev.chokepoint.cli;

import dev.chokepoint.scan.HeapWatch;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chokepoint} command: finds the providers that can take a site down on their own. */
@Command(
        name = "chokepoint",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Maps the infrastructure a site depends on and finds its single points of failure.",
        subcommands = {
            AuditCommand.class,
            ScanCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            SimulateCommand.class,
            QueryCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given writers and returns the exit code; tests call this. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // An Error passes picocli's handler; the heap is bounded on purpose (see the launcher), so say how to
            // raise it instead of printing a trace.
            long limit = HeapWatch.limitMb();
            err.println("chokepoint: out of memory within the Java heap limit of " + limit + " MB: raise it, for"
                    + " example CHOKEPOINT_JAVA_OPTS=-Xmx2g, or give fewer sites at once");
            err.flush();
            return ExitCode.INTERNAL;
        }
    }

    /** The configured picocli command line. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        for (CommandLine command : cli.getSubcommands().values().stream()
                .filter(c -> !c.getCommandName().equals("help"))
                .collect(java.util.stream.Collectors.toCollection(
                        () -> new java.util.ArrayList<>(java.util.List.of(cli))))) {
            command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
            boolean batch = List.of("scan", "report", "simulate").contains(command.getCommandName());
            command.getCommandSpec()
                    .usageMessage()
                    .exitCodeList(
                            switch (command.getCommandName()) {
                                case "export" -> ExitCode.exportDescriptions();
                                case "query" -> ExitCode.queryDescriptions();
                                default -> batch ? ExitCode.batchDescriptions() : ExitCode.descriptions();
                            });
        }
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("chokepoint: " + ex.getMessage());
            failed.getErr()
                    .println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCode.USAGE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the version from the jar manifest, or says it is a development build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"chokepoint " + (version == null ? "(development build)" : version)};
        }
    }
}
