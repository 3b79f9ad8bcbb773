package io.sluice.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap a stretch of work used: its peak, and what stays after a full GC at its end. Heap use
 * only grows between collections, so its peak is the largest heap in use just before one of them
 * (which the collectors report) or at the end.
 */
final class HeapWatch {
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
      .collect(Collectors.toSet());
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong collectionsSeen = new AtomicLong();

  HeapWatch() {
    collectionsSeen.set(collections());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener(this::collected, null, null);
    }
  }

  /** Starts a stretch: collects what earlier work left, so that it starts from a clean heap. */
  void reset() {
    System.gc();
    awaitNotifications();
    peak.set(used());
  }

  /** The largest heap in use since {@link #reset}. */
  long peak() {
    awaitNotifications();
    return Math.max(peak.get(), used());
  }

  /** The heap in use after a full GC: what the work keeps, not what it churns. */
  long usedAfterGc() {
    System.gc();
    awaitNotifications();
    return used();
  }

  private void collected(Notification n, Object handback) {
    if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long before = info.getGcInfo().getMemoryUsageBeforeGc().entrySet().stream()
          .filter(e -> heapPools.contains(e.getKey()))
          .mapToLong(e -> e.getValue().getUsed()).sum();
      peak.accumulateAndGet(before, Math::max);
      collectionsSeen.incrementAndGet();
    }
  }

  /** Notifications arrive on a thread of their own: waits until each collection's has. */
  private void awaitNotifications() {
    long collections = collections();
    long deadline = System.nanoTime() + 1_000_000_000L;
    try {
      while (collectionsSeen.get() < collections && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long collections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }

  private static long used() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return heap.getUsed();
  }
}
