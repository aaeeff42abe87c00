package dev.chokepoint.scan;

import dev.chokepoint.export.JsonReport;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits a stream of targets into a scan directory: at most {@code concurrency} sites in flight on virtual threads,
 * each result appended as soon as it is done, sites already in the directory skipped. Nothing of a site is kept here
 * once its line is written; what grows with the list is elsewhere: the names a {@link TargetList} has seen, the sites a
 * {@link ScanDirectory} found done, and the counters of a listener that accumulates a report.
 */
public final class BatchScan {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScan.class);

    /** Told about progress; called from many threads. */
    public interface Listener {
        /** A site finished and its line is written; {@link AuditResult#ok} is false when it could not be audited. */
        void finished(AuditResult result);
    }

    /**
     * What a run did.
     *
     * @param audited sites audited in this run
     * @param failed of those, sites that could not be audited
     * @param resumed sites skipped because an earlier run had done them
     * @param started when the run started
     * @param ended when it ended
     */
    public record Outcome(long audited, long failed, long resumed, Instant started, Instant ended) {}

    /** What a site's result line waits for: the evidence it was drawn from being durable. */
    @FunctionalInterface
    public interface Evidence {
        /** Nothing to wait for: the scan keeps no snapshot. */
        Evidence NONE = () -> {};

        /**
         * Returns once everything observed so far is in the snapshot file, so that a result line written afterwards
         * never refers to an exchange that a crash could lose.
         *
         * @throws ScanException when the snapshot cannot be written
         */
        void awaitRecorded();
    }

    private BatchScan() {}

    /** A buffer that held a line longer than this (a page with many resources) is left to the collector. */
    private static final int KEPT_LINE_BUFFER = 64 * 1024;

    /** Runs the scan with no snapshot to wait for; returns when every target has a result line. */
    public static Outcome run(
            TargetList targets, ScanDirectory directory, Auditor auditor, int concurrency, Listener listener)
            throws InterruptedException {
        return run(targets, directory, auditor, concurrency, listener, Evidence.NONE);
    }

    /**
     * Runs the scan; returns when every target has a result line. Each line is written only after {@code evidence}
     * says the exchanges observed until then are recorded.
     */
    public static Outcome run(
            TargetList targets,
            ScanDirectory directory,
            Auditor auditor,
            int concurrency,
            Listener listener,
            Evidence evidence)
            throws InterruptedException {
        Instant started = Instant.now();
        Semaphore slots = new Semaphore(concurrency);
        // Result lines are serialised into buffers kept for the next site, one for each site in flight; a line is a
        // few kilobytes, and a fresh buffer and its copy for each were about 5% of what a scan allocates.
        Queue<ByteArrayOutputStream> lines = new ConcurrentLinkedQueue<>();
        AtomicLong audited = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long resumed = 0;
        java.util.concurrent.atomic.AtomicReference<RuntimeException> fatal =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            while (fatal.get() == null && targets.hasNext()) {
                TargetList.Target target = targets.next();
                if (directory.isDone(target.domain().ascii())) {
                    resumed++;
                    continue;
                }
                // Back-pressure: the reader waits for a free slot, so the input is never read far ahead.
                slots.acquire();
                executor.submit(() -> {
                    try {
                        AuditResult result = audit(auditor, target);
                        ByteArrayOutputStream line = lines.poll();
                        if (line == null) {
                            line = new ByteArrayOutputStream(8192);
                        }
                        line.reset();
                        JsonReport.line(result, line); // serialised outside the directory's lock
                        evidence.awaitRecorded();
                        directory.append(line);
                        if (line.size() <= KEPT_LINE_BUFFER) {
                            lines.offer(line);
                        }
                        audited.incrementAndGet();
                        if (!result.ok()) {
                            failed.incrementAndGet();
                        }
                        listener.finished(result);
                    } catch (RuntimeException e) {
                        // The results or the snapshot cannot be written (a full disk, a ScanException), or a bug
                        // after the audit (in its line or the listener's counts): stop taking sites, keep what is
                        // written, and say why. A task's exception would otherwise be lost with its unread Future,
                        // and the site with it, silently.
                        fatal.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
            executor.shutdown();
            executor.awaitTermination(365, TimeUnit.DAYS);
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
        return new Outcome(audited.get(), failed.get(), resumed, started, Instant.now());
    }

    private static AuditResult audit(Auditor auditor, TargetList.Target target) {
        try {
            return auditor.audit(target.input(), target.domain());
        } catch (RuntimeException e) {
            // One site's bug must not end a batch of a million: record it as not audited and go on.
            LOG.warn("internal error auditing {}", target.domain(), e);
            return AuditResult.failed(target.input(), target.domain(), "internal error: " + e);
        }
    }
}
