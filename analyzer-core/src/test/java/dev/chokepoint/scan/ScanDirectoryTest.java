package dev.chokepoint.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chokepoint.export.JsonResults;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void theSitesWithAResultAreDone() throws Exception {
        Files.writeString(
                dir.resolve(ScanDirectory.RESULTS),
                "{\"target\":\"a.test\",\"domain\":\"a.test\"}\n{\"target\":\"b.test\",\"domain\":\"b.test\"}\n");

        try (ScanDirectory directory = ScanDirectory.open(dir)) {
            assertThat(directory.previouslyDone()).isEqualTo(2);
            assertThat(directory.isDone("a.test")).isTrue();
            assertThat(directory.isDone("a.test")).isTrue();
            assertThat(directory.isDone("c.test")).isFalse();
            assertThat(directory.isDone("a.tes")).isFalse();
            assertThat(directory.previouslyDone()).isEqualTo(2);
            assertThat(directory.isDone("b.test")).isTrue();
        }
    }

    @Test
    void linesThatAreNotResultsAreCountedWithTheFirstOnesNumberAndTheirSitesAreNotDone() throws Exception {
        Files.write(
                dir.resolve(ScanDirectory.RESULTS),
                ("{\"domain\":\"a.test\"}\n{\"domain\":\"b.te\n\n{\"domain\":\"c.test\"}\nnot json\n"
                                + "{\"domain\":\"d.test\"}\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        try (ScanDirectory directory = ScanDirectory.open(dir)) {
            assertThat(directory.skipped()).isEqualTo(new ScanDirectory.Skipped(2, 2));
            assertThat(directory.previouslyDone()).isEqualTo(3);
            assertThat(directory.isDone("b.te")).isFalse();
        }
    }

    @Test
    void retryingFailedSitesTakesTheirLinesOutAndKeepsEveryOtherLineAsItWas() throws Exception {
        String ok = "{\"domain\":\"a.test\",\"status\":\"ok\"}";
        String failed = "{\"domain\":\"b.test\",\"status\":\"error\",\"error\":\"SERVFAIL\"}";
        String damaged = "{\"domain\":\"c.te";
        String later = "{\"status\":\"ok\",\"domain\":\"d.test\"}";
        Path results = dir.resolve(ScanDirectory.RESULTS);
        Files.writeString(results, String.join("\n", ok, failed, damaged, later) + "\n");

        try (ScanDirectory directory = ScanDirectory.open(dir, JsonResults.Head::failed)) {
            assertThat(directory.retried()).isEqualTo(1);
            assertThat(directory.previouslyDone()).isEqualTo(2);
            assertThat(directory.isDone("b.test")).isFalse();
            assertThat(directory.skipped()).isEqualTo(new ScanDirectory.Skipped(1, 3));
        }
        assertThat(Files.readAllLines(results)).containsExactly(ok, damaged, later);
        assertThat(dir.resolve(ScanDirectory.RESULTS + ".tmp")).doesNotExist();

        // Without failures to take out, the file is left as it is.
        try (ScanDirectory directory = ScanDirectory.open(dir, JsonResults.Head::failed)) {
            assertThat(directory.retried()).isZero();
        }
        assertThat(Files.readAllLines(results)).containsExactly(ok, damaged, later);
    }

    @Test
    void aDomainLongerThanAnyDomainNameIsNotAResult() throws Exception {
        String tooLong = "a".repeat(300) + ".test";
        Files.writeString(
                dir.resolve(ScanDirectory.RESULTS), "{\"domain\":\"a.test\"}\n{\"domain\":\"" + tooLong + "\"}\n");

        try (ScanDirectory directory = ScanDirectory.open(dir)) {
            assertThat(directory.skipped()).isEqualTo(new ScanDirectory.Skipped(1, 2));
            assertThat(directory.previouslyDone()).isEqualTo(1);
            assertThat(directory.isDone(tooLong)).isFalse();
        }
    }

    @Test
    void withoutRetryingAFailedSiteIsDone() throws Exception {
        Files.writeString(dir.resolve(ScanDirectory.RESULTS), "{\"domain\":\"b.test\",\"status\":\"error\"}\n");

        try (ScanDirectory directory = ScanDirectory.open(dir)) {
            assertThat(directory.retried()).isZero();
            assertThat(directory.isDone("b.test")).isTrue();
        }
    }

    @Test
    void linesPassOnDamagedLinesForTheCallerToCountButNotATornEnd() throws Exception {
        Path out = Files.createDirectories(dir.resolve("lines"));
        Files.writeString(
                out.resolve(ScanDirectory.RESULTS),
                "{\"domain\":\"a.test\"}\n\n{\"domain\":\"b.te\n{\"domain\":\"c.test\"}\n{\"domain\":\"d.te");

        try (var lines = ScanDirectory.lines(out)) {
            assertThat(lines.toList())
                    .containsExactly("{\"domain\":\"a.test\"}", "{\"domain\":\"b.te", "{\"domain\":\"c.test\"}");
        }
    }

    @Test
    void anOutputPathThatIsAFileIsNamedWithTheReason() throws Exception {
        Path file = Files.writeString(dir.resolve("list.csv"), "example.com\n");

        assertThatThrownBy(() -> ScanDirectory.open(file))
                .isInstanceOf(ScanException.class)
                .hasMessage(file + ": cannot create the output directory (a file of that name is in the way)");
    }
}
