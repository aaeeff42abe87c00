package dev.chokepoint.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Decides whether output goes to a terminal that wants colour. */
final class Terminal {
    private Terminal() {}

    /**
     * Whether to colour output for {@code --color WHEN}: {@code always}, {@code never}, or {@code auto}, which colours
     * only a terminal and honours NO_COLOR (https://no-color.org) and TERM=dumb.
     */
    static boolean colour(String when) {
        return switch (when) {
            case "always" -> true;
            case "never" -> false;
            case "auto" -> autoColour();
            default -> throw new UsageException("unknown --color '" + when + "' (expected auto, always or never)");
        };
    }

    /** The picocli styling for {@code --color WHEN}: on or off, as {@link #colour} decides. */
    static picocli.CommandLine.Help.Ansi ansi(String when) {
        return colour(when) ? picocli.CommandLine.Help.Ansi.ON : picocli.CommandLine.Help.Ansi.OFF;
    }

    private static boolean autoColour() {
        String noColor = System.getenv("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return false;
        }
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        return isTerminal();
    }

    /** Whether standard output is a terminal. */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 a console exists even when redirected; Console.isTerminal() tells. Called reflectively
        // because the code is compiled for Java 21.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** The terminal width from COLUMNS, or 100. */
    static int width() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
            return Math.max(60, Math.min(columns, 200));
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
