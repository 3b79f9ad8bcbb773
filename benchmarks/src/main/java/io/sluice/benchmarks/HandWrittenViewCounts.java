package io.sluice.benchmarks;

import io.sluice.samples.workload.AdEvent;
import io.sluice.samples.workload.AdEvents;
import io.sluice.samples.workload.WindowCounts;
import java.util.Arrays;

/**
 * W1 written by hand as the fastest plain Java we know for its logic, the baseline Sluice's W1 is
 * measured against: one thread, one loop over the generated events, counts in a primitive
 * open-addressing table keyed by window and campaign packed into one {@code long}.
 *
 * <p>It keeps the streaming contract of the engine's run: events arrive in batches, the watermark
 * (latest view time minus 5 s) moves after each batch, and the windows it closed are emitted
 * (counted and summed) and forgotten then, so the table holds only open windows. No engine,
 * checkpoint or columns: what is left is the work the query itself asks for.
 */
final class HandWrittenViewCounts {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys = new long[1 << 14];
  private long[] counts = new long[keys.length];
  private int size;
  private long rows;
  private long sumOfCounts;

  HandWrittenViewCounts() {
    Arrays.fill(keys, EMPTY);
  }

  /** Runs W1 over events {@code 0} to {@code events - 1} in batches of {@code eventsPerBatch}. */
  static HandWrittenViewCounts run(long events, long eventsPerBatch) {
    HandWrittenViewCounts w1 = new HandWrittenViewCounts();
    long latest = Long.MIN_VALUE;
    for (long from = 0; from < events; from += eventsPerBatch) {
      long to = Math.min(events, from + eventsPerBatch);
      for (long i = from; i < to; i++) {
        AdEvent e = AdEvents.event(i);
        if (e.eventType() == AdEvent.VIEW) {
          long time = e.eventTimeMs();
          latest = Math.max(latest, time);
          w1.add(Math.floorDiv(time, WindowCounts.WINDOW_MS), e.adId() / 10);
        }
      }
      w1.emitClosed(latest - WindowCounts.WATERMARK_DELAY_MS);
    }
    return w1;
  }

  long rows() {
    return rows;
  }

  long sumOfCounts() {
    return sumOfCounts;
  }

  private void add(long window, long campaign) {
    long key = window << 10 | campaign;
    int mask = keys.length - 1;
    int at = (int) (AdEvents.mix(key) & mask);
    while (keys[at] != key) {
      if (keys[at] == EMPTY) {
        keys[at] = key;
        if (++size * 2 > keys.length) {
          grow();
          add(window, campaign);
          return;
        }
        break;
      }
      at = (at + 1) & mask;
    }
    counts[at]++;
  }

  /** Emits and forgets the windows whose end is at or before {@code watermark}. */
  private void emitClosed(long watermark) {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    keys = new long[oldKeys.length];
    counts = new long[oldKeys.length];
    Arrays.fill(keys, EMPTY);
    size = 0;
    for (int s = 0; s < oldKeys.length; s++) {
      long key = oldKeys[s];
      if (key == EMPTY) {
        continue;
      }
      long end = ((key >> 10) + 1) * WindowCounts.WINDOW_MS;
      if (end <= watermark) {
        rows++;
        sumOfCounts += oldCounts[s];
      } else {
        put(key, oldCounts[s]);
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new long[keys.length];
    Arrays.fill(keys, EMPTY);
    size = 0;
    for (int s = 0; s < oldKeys.length; s++) {
      if (oldKeys[s] != EMPTY) {
        put(oldKeys[s], oldCounts[s]);
      }
    }
  }

  private void put(long key, long count) {
    int mask = keys.length - 1;
    int at = (int) (AdEvents.mix(key) & mask);
    while (keys[at] != EMPTY) {
      at = (at + 1) & mask;
    }
    keys[at] = key;
    counts[at] = count;
    size++;
  }
}
