package dev.chokepoint.cli;

import dev.chokepoint.assess.Assessor;
import dev.chokepoint.assess.Concentration;
import dev.chokepoint.assess.SiteAssessment;
import dev.chokepoint.dns.DnsCollector;
import dev.chokepoint.dns.DnsObservation;
import dev.chokepoint.dns.DnsjavaClient;
import dev.chokepoint.export.JsonReport;
import dev.chokepoint.graph.DependencyGraph;
import dev.chokepoint.graph.GraphBuilder;
import dev.chokepoint.graph.Node;
import dev.chokepoint.provider.Datasets;
import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.snapshot.WarcSnapshot;
import dev.chokepoint.target.DomainName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Times the per-site analysis of a scan alone, on one thread: graph building, assessment, the result line and the
 * report's counters, for sites whose DNS a scan recorded. {@code benchmark/analysis} runs it; not a test.
 *
 * <p>A scan's CPU is spread over threads that share two cores with the DNS server, and side by side runs
 * ({@code benchmark/pair}) tell apart only changes of a few percent of the whole; this measures a change to the
 * analysis to a microsecond a site. The DNS observations are collected once from the snapshot, then analysed {@code
 * passes} times; the first passes include the JIT compiler's warm-up.
 */
final class AnalysisBench {
    private AnalysisBench() {}

    /** Arguments: DATASETS_DIR SNAPSHOT.warc.gz TARGETS_FILE PASSES. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: AnalysisBench DATASETS_DIR SNAPSHOT TARGETS_FILE PASSES");
            System.exit(2);
        }
        Datasets data = Datasets.load(Path.of(args[0]));
        WarcSnapshot snapshot = WarcSnapshot.read(Path.of(args[1]));
        List<String> targets = Files.readAllLines(Path.of(args[2])).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        int passes = Integer.parseInt(args[3]);
        DnsCollector collector = new DnsCollector(new DnsjavaClient(snapshot));
        List<DnsObservation> observations = new ArrayList<>();
        for (String target : targets) {
            DnsObservation observation = collector.collect(DomainName.parse(target));
            if (observation.failure().isEmpty()) {
                observations.add(observation);
            }
        }
        GraphBuilder builder = new GraphBuilder(data.attributor());
        Assessor assessor = new Assessor();
        System.out.printf(
                "%d sites analysed per pass (%d without DNS left out)%n",
                observations.size(), targets.size() - observations.size());
        System.out.println(
                "| pass | graph µs/site | assessment µs/site | result line µs/site | counters µs/site | total |");
        System.out.println("|---|---|---|---|---|---|");
        for (int pass = 1; pass <= passes; pass++) {
            long[] nanos = new long[4];
            long bytes = 0;
            Concentration.Accumulator counters = Concentration.accumulator();
            for (DnsObservation observation : observations) {
                long t0 = System.nanoTime();
                DependencyGraph graph = builder.build(observation, Optional.empty());
                long t1 = System.nanoTime();
                SiteAssessment assessment = assessor.assess(
                        graph, new Node.Site(observation.target().ascii()));
                long t2 = System.nanoTime();
                bytes += JsonReport.line(new AuditResult(
                                observation.target().ascii(),
                                observation.target(),
                                Optional.empty(),
                                Optional.of(assessment),
                                Optional.of(graph)))
                        .length;
                long t3 = System.nanoTime();
                counters.add(assessment.dependencies());
                long t4 = System.nanoTime();
                nanos[0] += t1 - t0;
                nanos[1] += t2 - t1;
                nanos[2] += t3 - t2;
                nanos[3] += t4 - t3;
            }
            double n = observations.size() * 1_000.0;
            System.out.printf(
                    "| %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    pass,
                    nanos[0] / n,
                    nanos[1] / n,
                    nanos[2] / n,
                    nanos[3] / n,
                    Arrays.stream(nanos).sum() / n);
            if (bytes == 0) {
                throw new IllegalStateException("no result line written"); // keeps the line's work from being elided
            }
        }
    }
}
