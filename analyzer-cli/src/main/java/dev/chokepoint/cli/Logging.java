package dev.chokepoint.cli;

/** Configures slf4j-simple from -v/-q before the first logger is created. Logs go to stderr. */
final class Logging {
    private Logging() {}

    static void configure(int verbosity, boolean quiet) {
        String level = quiet ? "error" : verbosity >= 2 ? "debug" : verbosity == 1 ? "info" : "warn";
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
    }
}
