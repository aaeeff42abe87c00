package dev.chokepoint.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the installation's files: the launcher passes {@code -Dchokepoint.home}; otherwise the jar's location. */
final class Installation {
    private Installation() {}

    /** The default datasets directory. */
    static Path datasets() {
        String home = System.getProperty("chokepoint.home", System.getenv("CHOKEPOINT_HOME"));
        if (home != null && !home.isBlank()) {
            return Path.of(home, "datasets");
        }
        try {
            // analyzer-cli/target/analyzer-cli.jar -> the checkout's root
            Path jar = Path.of(Installation.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("datasets/providers"))) {
                    return dir.resolve("datasets");
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of("datasets");
    }
}
