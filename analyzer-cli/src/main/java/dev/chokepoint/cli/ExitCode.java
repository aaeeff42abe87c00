package dev.chokepoint.cli;

/** The process exit codes, as listed in {@code --help} and the README. */
public final class ExitCode {
    /** Every target audited and no finding at or above {@code --fail-on}. */
    public static final int OK = 0;

    /** An internal error: a bug or a broken environment. */
    public static final int INTERNAL = 1;

    /** A usage error or invalid input (a bad option, target, dataset or snapshot). */
    public static final int USAGE = 2;

    /** A finding at or above {@code --fail-on}. */
    public static final int FINDINGS = 3;

    /** Some target could not be audited (NXDOMAIN, no resolver answered); takes precedence over 3. */
    public static final int NOT_AUDITED = 4;

    private ExitCode() {}

    /** The codes of the batch commands (scan, report, simulate), which judge no finding. */
    static java.util.Map<String, String> batchDescriptions() {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        codes.put(String.valueOf(OK), "done (sites that could not be audited are results, not failures)");
        codes.put(String.valueOf(INTERNAL), "internal error");
        codes.put(String.valueOf(USAGE), "usage error, invalid input, or a scan directory locked by another scan");
        codes.put("130, 143", "stopped by Ctrl-C or kill (a scan marks its run interrupted; run it again to resume)");
        return codes;
    }

    /** The codes of {@code export}, which judges no finding either. */
    static java.util.Map<String, String> exportDescriptions() {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        codes.put(String.valueOf(OK), "every target audited and the export written");
        codes.put(String.valueOf(INTERNAL), "internal error");
        codes.put(
                String.valueOf(USAGE),
                "usage error, invalid input, or --out cannot be written (nothing is left half-written)");
        codes.put(String.valueOf(NOT_AUDITED), "some target could not be audited; the export was written without it");
        return codes;
    }

    /** The codes of the query command. */
    static java.util.Map<String, String> queryDescriptions() {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        codes.put(String.valueOf(OK), "the query ran (an empty answer too)");
        codes.put(String.valueOf(INTERNAL), "internal error");
        codes.put(
                String.valueOf(USAGE),
                "usage error or invalid input: a missing or unparsable RDF file, a directory that is not a TDB2 store,"
                        + " a malformed query");
        return codes;
    }

    /** Every code with its meaning, in order, for the help of every command. */
    static java.util.Map<String, String> descriptions() {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        codes.put(String.valueOf(OK), "every target audited, nothing at or above --fail-on");
        codes.put(String.valueOf(INTERNAL), "internal error");
        codes.put(String.valueOf(USAGE), "usage error or invalid input");
        codes.put(String.valueOf(FINDINGS), "a finding at or above --fail-on");
        codes.put(String.valueOf(NOT_AUDITED), "some target could not be audited (takes precedence over 3)");
        return codes;
    }
}
