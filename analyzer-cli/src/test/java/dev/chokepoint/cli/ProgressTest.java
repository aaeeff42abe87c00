package dev.chokepoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress of reading a results file, as report and simulate show it off a terminal. */
class ProgressTest {
    private static final long MB = 1L << 20;

    @Test
    void readingALargeFileEndsWithALineOfMegabytesRead() {
        StringWriter text = new StringWriter();
        long size = Progress.READING_SHOWN_FROM + 36 * MB;

        try (Progress progress = Progress.reading("report", size, false, false, new PrintWriter(text))) {
            progress.read(50 * MB);
            progress.read(50 * MB);
            assertThat(progress.summary()).startsWith("report: 100/" + size / MB + " MB of results read, ");
        }

        assertThat(text.toString()).startsWith("report: 100/" + size / MB + " MB of results read, ");
    }

    @Test
    void aSmallFileOrQuietShowsNothing() {
        StringWriter text = new StringWriter();

        try (Progress small = Progress.reading(
                        "report", Progress.READING_SHOWN_FROM - 1, false, false, new PrintWriter(text));
                Progress quiet = Progress.reading(
                        "simulate", 10 * Progress.READING_SHOWN_FROM, true, false, new PrintWriter(text))) {
            small.read(MB);
            quiet.read(MB);
        }

        assertThat(text.toString()).isEmpty();
    }
}
