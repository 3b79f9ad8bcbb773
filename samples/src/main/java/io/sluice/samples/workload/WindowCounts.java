package io.sluice.samples.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The answer of W1 or W2 over the first events of {@link AdEvents}, worked out in plain Java with
 * no engine: the views per tumbling 10-second event-time window and campaign, for the windows the
 * final watermark has closed. Tests and benchmarks check an engine's output against it.
 *
 * <p>The watermark is the latest event time of a view minus 5 seconds (the queries filter before
 * they set the watermark); a window is closed once its end is at or before it, which is what an
 * engine in append mode has emitted after its last batch without data. No view is ever late,
 * whatever the batches: an event is less than two seconds older than any before it, and the
 * watermark trails by five, so each view's window is still open when it arrives.
 *
 * <pre>{@code
 * WindowCounts expected = WindowCounts.of(1_000_000, AdCampaign::campaignOf);
 * long rows = expected.rows();
 * }</pre>
 */
public final class WindowCounts {
  /** Window size of W1 and W2, in milliseconds. */
  public static final long WINDOW_MS = 10_000;

  /** How far the watermark trails the latest event time, in milliseconds. */
  public static final long WATERMARK_DELAY_MS = 5_000;

  private final Map<Window, Long> closed;

  private WindowCounts(Map<Window, Long> closed) {
    this.closed = closed;
  }

  /** A window of one campaign, by the window's start in epoch milliseconds. */
  public record Window(long start, long campaignId) {}

  /**
   * The closed windows of events {@code 0} to {@code events - 1}, whose views count for campaign
   * {@code campaignOf.applyAsLong(adId)}.
   */
  public static WindowCounts of(long events, LongUnaryOperator campaignOf) {
    Map<Window, Long> counts = new HashMap<>();
    long latest = Long.MIN_VALUE;
    for (long i = 0; i < events; i++) {
      if (AdEvents.eventType(i) == AdEvent.VIEW) {
        long time = AdEvents.eventTimeMs(i);
        latest = Math.max(latest, time);
        Window w = new Window(Math.floorDiv(time, WINDOW_MS) * WINDOW_MS,
            campaignOf.applyAsLong(AdEvents.adId(i)));
        counts.merge(w, 1L, Long::sum);
      }
    }
    long watermark = latest - WATERMARK_DELAY_MS;
    counts.keySet().removeIf(w -> w.start() + WINDOW_MS > watermark);
    return new WindowCounts(counts);
  }

  /** How many windows closed: the rows an engine writes. */
  public long rows() {
    return closed.size();
  }

  /** The views of all closed windows. */
  public long sumOfCounts() {
    return closed.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The views of a closed window; 0 for a window that is open or has no views. */
  public long count(Window window) {
    return closed.getOrDefault(window, 0L);
  }

  /** Every closed window and its views. */
  public Map<Window, Long> windows() {
    return Map.copyOf(closed);
  }
}
