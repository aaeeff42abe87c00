package dev.chokepoint.export.rdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chokepoint.export.ExportBatch;
import dev.chokepoint.export.ExportFormat;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An independent parser (Raptor's {@code rapper}, Debian package raptor2-utils) reads the Turtle, N-Triples and TriG
 * exports and counts the same triples Jena wrote. Skipped when {@code rapper} is not on the PATH.
 */
class RapperIT {
    private static final Pattern COUNT = Pattern.compile("returned (\\d+) triples");

    @TempDir
    static Path dir;

    private static ExportBatch batch;

    @BeforeAll
    static void audit() throws Exception {
        batch = WorldBatch.batch("world-1", WorldBatch.audit());
    }

    private static boolean rapperOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, "rapper"))) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @CsvSource({"TTL, turtle", "NT, ntriples", "TRIG, trig"})
    void rapperReadsTheExportWithoutErrorAndCountsTheSameTriples(ExportFormat format, String syntax) throws Exception {
        assumeTrue(rapperOnPath(), "rapper (raptor2-utils) is not on the PATH");
        Path file = dir.resolve("world." + format.extension());
        try (OutputStream out = Files.newOutputStream(file)) {
            RdfExport.write(batch, format, out);
        }

        Process rapper = new ProcessBuilder("rapper", "-i", syntax, "-c", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(rapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(rapper.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(rapper.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("warning");
        Matcher count = COUNT.matcher(output);
        assertThat(count.find()).as(output).isTrue();
        long expected = RdfExport.union(RdfExport.dataset(batch)).size();
        assertThat(Long.parseLong(count.group(1))).isEqualTo(expected);
    }
}
