package dev.chokepoint.scan;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Tells when the heap is nearly full of live data, so that a scan can stop while it still runs at full speed. A scan
 * keeps a little of every site (its name, the report's counters); when the list is longer than the heap allows, the
 * collector runs ever more often and the scan slows to a crawl long before it would run out of memory. This watches
 * the JVM's own measure of what a full collection leaves in the old generation (the collection usage threshold of
 * the heap pools that have one), so it costs nothing until the threshold is crossed.
 */
public final class HeapWatch implements AutoCloseable {
    private final List<MemoryPoolMXBean> pools;
    /** The threshold this watch sets on each pool, by pool name. */
    private final Map<String, Long> thresholds;

    private final NotificationEmitter emitter;
    private final AtomicReference<String> exceeded = new AtomicReference<>();
    private final NotificationListener listener = this::notified;

    private HeapWatch(List<MemoryPoolMXBean> pools, double fraction) {
        this.pools = pools;
        Map<String, Long> thresholds = new HashMap<>();
        for (MemoryPoolMXBean pool : pools) {
            thresholds.put(pool.getName(), Math.max(1, (long) (pool.getUsage().getMax() * fraction)));
        }
        this.thresholds = Map.copyOf(thresholds);
        this.emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        emitter.addNotificationListener(
                listener, n -> n.getType().equals(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED), null);
        for (MemoryPoolMXBean pool : pools) {
            pool.setCollectionUsageThreshold(this.thresholds.get(pool.getName()));
        }
    }

    /**
     * Starts watching for a full collection that leaves more than {@code fraction} of the old generation in use. The
     * old generation is the heap pool with a usage threshold (the young pools have none) and a known maximum; with no
     * such pool (an unusual collector) nothing is watched.
     */
    public static HeapWatch start(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
        }
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .filter(MemoryPoolMXBean::isUsageThresholdSupported)
                .filter(MemoryPoolMXBean::isCollectionUsageThresholdSupported)
                .filter(p -> p.getUsage().getMax() > 0)
                .toList();
        return new HeapWatch(pools, fraction);
    }

    private void notified(Notification notification, Object handback) {
        MemoryNotificationInfo info = MemoryNotificationInfo.from((CompositeData) notification.getUserData());
        MemoryUsage usage = info.getUsage();
        // Notifications reach every listener, and late: one about another watch's lower threshold is not ours.
        Long threshold = thresholds.get(info.getPoolName());
        if (threshold == null || usage.getUsed() < threshold) {
            return;
        }
        long max = usage.getMax() > 0 ? usage.getMax() : usage.getCommitted();
        exceeded.compareAndSet(
                null,
                String.format(
                        Locale.ROOT,
                        "%s was %d%% full after a full collection (%d of %d MB)",
                        info.getPoolName(),
                        Math.round(100.0 * usage.getUsed() / Math.max(1, max)),
                        usage.getUsed() >> 20,
                        max >> 20));
    }

    /** The Java heap limit in MB, as the errors about a full heap and a scan's manifest give it. */
    public static long limitMb() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    /** What was found full, once a full collection has left the old generation above the threshold. */
    public Optional<String> exceeded() {
        return Optional.ofNullable(exceeded.get());
    }

    /** Whether any pool is watched at all. */
    public boolean watching() {
        return !pools.isEmpty();
    }

    /** Stops watching: the threshold goes back to none. */
    @Override
    public void close() {
        for (MemoryPoolMXBean pool : pools) {
            pool.setCollectionUsageThreshold(0);
        }
        try {
            emitter.removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            // Not registered: nothing to remove.
        }
    }
}
