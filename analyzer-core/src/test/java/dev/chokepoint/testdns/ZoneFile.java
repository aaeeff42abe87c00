package dev.chokepoint.testdns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A zone file named {@code ORIGIN.zone}, e.g. {@code example.com.zone} for {@code example.com.}. */
record ZoneFile(String origin, Path path) {

    private static final String SUFFIX = ".zone";

    /** The zone files directly inside the directory, sorted by file name so runs are repeatable. */
    static List<ZoneFile> listIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            List<ZoneFile> files = entries.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .map(ZoneFile::of)
                    .toList();
            if (files.isEmpty()) {
                throw new IOException("no *" + SUFFIX + " files in " + directory);
            }
            return files;
        }
    }

    private static ZoneFile of(Path path) {
        String fileName = path.getFileName().toString();
        String origin = fileName.substring(0, fileName.length() - SUFFIX.length()) + ".";
        return new ZoneFile(origin, path);
    }
}
