package dev.chokepoint.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path dir;

    private long entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNothingElse() throws Exception {
        Path target = Files.writeString(dir.resolve("graph.ttl"), "old");

        assertThatThrownBy(() -> AtomicOutput.file(target, out -> {
                    out.write("half".getBytes(StandardCharsets.UTF_8));
                    throw new IOException("disk full");
                }))
                .hasMessage("disk full");

        assertThat(target).hasContent("old");
        assertThat(entries()).isEqualTo(1);
    }

    @Test
    void writtenFileGetsThePermissionsOfAnyNewFile() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path target = dir.resolve("graph.dot");

        AtomicOutput.file(target, out -> out.write("digraph {}".getBytes(StandardCharsets.UTF_8)));

        assertThat(target).hasContent("digraph {}");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void directoryIsReplacedWholeOnSuccessAndKeptOnFailure() throws Exception {
        Path target = dir.resolve("csv");
        AtomicOutput.directory(target, d -> Files.writeString(d.resolve("nodes.csv"), "first"));
        AtomicOutput.directory(target, d -> Files.writeString(d.resolve("edges.csv"), "second"));

        assertThatThrownBy(() -> AtomicOutput.directory(target, d -> {
                    Files.writeString(d.resolve("nodes.csv"), "third");
                    throw new IOException("interrupted");
                }))
                .hasMessage("interrupted");

        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("edges.csv");
        }
        assertThat(target.resolve("edges.csv")).hasContent("second");
        assertThat(entries()).isEqualTo(1);
    }
}
