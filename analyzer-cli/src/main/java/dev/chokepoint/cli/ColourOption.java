package dev.chokepoint.cli;

import picocli.CommandLine.Option;

/** The {@code --color} option of the commands that print reports, as a picocli mixin. */
final class ColourOption {
    @Option(
            names = "--color",
            paramLabel = "WHEN",
            defaultValue = "auto",
            description = "Colour: auto (on a terminal, unless NO_COLOR is set), always, never.")
    String when;

    /** Whether to colour, as {@link Terminal#colour} decides for the option's value. */
    boolean on() {
        return Terminal.colour(when);
    }

    /** The picocli styling for the option's value. */
    picocli.CommandLine.Help.Ansi ansi() {
        return Terminal.ansi(when);
    }
}
