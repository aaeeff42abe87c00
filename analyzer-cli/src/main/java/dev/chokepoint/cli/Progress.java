package dev.chokepoint.cli;

import dev.chokepoint.scan.AuditResult;
import dev.chokepoint.scan.BatchScan;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a scan's progress on stderr: a progress bar (done, failed, rate, ETA) on a terminal, a line every ten seconds
 * otherwise, nothing with {@code -q}. {@link #reading} shows the same for a command reading a large results file, in
 * megabytes.
 */
final class Progress implements BatchScan.Listener, AutoCloseable {
    /** Results files smaller than this are read without progress: a few seconds at most. */
    static final long READING_SHOWN_FROM = 64L << 20;

    private static final long MB = 1L << 20;

    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /**
     * The sites (or bytes) to do as far as known now (0 when unknown): a scan learns of header rows and duplicates as
     * it goes.
     */
    private final LongSupplier total;
    /** Whether this counts bytes read rather than sites. */
    private final boolean bytes;

    private final long started = System.nanoTime();
    private final ProgressBar bar;
    private final ScheduledExecutorService ticker;
    private final PrintWriter err;
    private final String task;
    /** What else to say about the run's pace (see {@link #note}), or empty. */
    private volatile Supplier<String> note = () -> "";

    private Progress(
            String task,
            LongSupplier total,
            boolean bytes,
            ProgressBar bar,
            ScheduledExecutorService ticker,
            PrintWriter err) {
        this.task = task;
        this.total = total;
        this.bytes = bytes;
        this.bar = bar;
        this.ticker = ticker;
        this.err = err;
    }

    /**
     * Starts showing a scan's progress towards {@code total} sites, a figure that may fall as the scan goes (0 when
     * unknown).
     */
    static Progress start(LongSupplier total, boolean quiet, boolean terminal, PrintWriter err) {
        return start("scan", total, false, quiet, terminal, err);
    }

    /** Starts showing progress of {@code task} towards {@code total} sites (0 when unknown). */
    static Progress start(String task, long total, boolean quiet, boolean terminal, PrintWriter err) {
        return start(task, () -> total, false, quiet, terminal, err);
    }

    /**
     * Starts showing how much of a file of {@code size} bytes {@code task} has read (see {@link #read}); nothing for
     * a file under {@link #READING_SHOWN_FROM}.
     */
    static Progress reading(String task, long size, boolean quiet, boolean terminal, PrintWriter err) {
        return start(task, () -> size, true, quiet || size < READING_SHOWN_FROM, terminal, err);
    }

    private static Progress start(
            String task, LongSupplier total, boolean bytes, boolean quiet, boolean terminal, PrintWriter err) {
        if (quiet) {
            return new Progress(task, total, bytes, null, null, err);
        }
        if (terminal) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total.getAsLong() > 0 ? total.getAsLong() : -1)
                    .setStyle(
                            // Colour like every other output: not with NO_COLOR or TERM=dumb.
                            Terminal.colour("auto")
                                    ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                                    : ProgressBarStyle.UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUnit(bytes ? " MB" : " sites", bytes ? MB : 1)
                    .showSpeed()
                    .build();
            return new Progress(task, total, bytes, bar, null, err);
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, task + "-progress");
            thread.setDaemon(true);
            return thread;
        });
        Progress progress = new Progress(task, total, bytes, null, ticker, err);
        ticker.scheduleAtFixedRate(progress::line, 10, 10, TimeUnit.SECONDS);
        return progress;
    }

    /**
     * Adds {@code note} to the progress shown, when it says something (not blank): why the scan goes at the pace it
     * goes, say.
     */
    void note(Supplier<String> note) {
        this.note = note;
    }

    @Override
    public void finished(AuditResult result) {
        done.incrementAndGet();
        if (!result.ok()) {
            failed.incrementAndGet();
        }
        if (bar != null) {
            long max = total.getAsLong();
            if (max > 0 && max != bar.getMax()) {
                bar.maxHint(max);
            }
            bar.step();
            String extra = failed.get() == 0 ? "" : failed.get() + " failed";
            String said = note.get();
            String message = said.isBlank() ? extra : extra.isEmpty() ? said : extra + ", " + said;
            // The bar puts the message right after the rate ("17.6 sites/s"), without a space of its own.
            bar.setExtraMessage(message.isEmpty() ? "" : " " + message);
        }
    }

    /**
     * The bytes a line of a results file took, as {@link #read} counts them: its characters and its line end, exact
     * but for the few characters UTF-8 writes in more than one byte.
     */
    static long bytes(String line) {
        return line.length() + 1L;
    }

    /** Counts {@code count} more bytes read, for a progress started by {@link #reading}. */
    void read(long count) {
        done.addAndGet(count);
        if (bar != null) {
            bar.stepBy(count);
        }
    }

    private void line() {
        err.println(summary());
        err.flush();
    }

    /** One line: done, failed, rate and ETA (for a file: megabytes read of all, rate and ETA). */
    String summary() {
        long n = done.get();
        long total = this.total.getAsLong();
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        double rate = n / seconds;
        String eta = total > 0 && rate > 0 ? ", ETA " + format(Duration.ofSeconds((long) ((total - n) / rate))) : "";
        if (bytes) {
            return String.format(
                    java.util.Locale.ROOT,
                    "%s: %d/%d MB of results read, %.1f MB/s%s",
                    task,
                    n / MB,
                    total / MB,
                    rate / MB,
                    eta);
        }
        String said = note.get();
        return String.format(
                java.util.Locale.ROOT,
                "%s: %d%s done, %d failed, %.1f sites/s%s%s",
                task,
                n,
                total > 0 ? "/" + total : "",
                failed.get(),
                rate,
                eta,
                said.isBlank() ? "" : "; " + said);
    }

    private static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600
                ? (s / 3600) + "h" + (s % 3600 / 60) + "m"
                : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
            line();
        }
    }
}
