package dev.chokepoint.export;

import dev.chokepoint.scan.AuditResult;
import java.util.Comparator;
import java.util.List;

/**
 * What every exporter takes: the audited sites of one run (each with its graph and assessment) and the run itself.
 *
 * @param run the run
 * @param results the results, sorted by domain; failed results (no graph) are kept so exports can say so
 */
public record ExportBatch(RunInfo run, List<AuditResult> results) {
    /** Sorts the results by domain, so that exports do not depend on the order sites finished in. */
    public ExportBatch {
        results = results.stream()
                .sorted(Comparator.comparing((AuditResult r) -> r.domain().ascii())
                        .thenComparing(AuditResult::target))
                .toList();
    }

    /** The results that have a graph and an assessment. */
    public List<AuditResult> audited() {
        return results.stream().filter(AuditResult::ok).toList();
    }
}
