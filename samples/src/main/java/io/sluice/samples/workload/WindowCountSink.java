package io.sluice.samples.workload;

import io.sluice.api.BatchFunction;
import io.sluice.api.Dataset;
import io.sluice.api.Row;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The sink of W1 and W2, for {@code foreachBatch}: counts the rows (windows) written and sums
 * their {@code views}. A recording sink also keeps each window, for tests, and fails on a window
 * written twice, which append mode must never do.
 *
 * <pre>{@code
 * WindowCountSink sink = WindowCountSink.counting();
 * query.writeStream().outputMode(OutputMode.APPEND).foreachBatch(sink).start();
 * }</pre>
 *
 * <p>Rows need columns {@code windowStart}, {@code campaignId} and {@code views}. The query's
 * thread writes, others may read; every method is synchronized.
 */
public final class WindowCountSink implements BatchFunction<Row> {
  private final @Nullable Map<WindowCounts.Window, Long> windows;
  private long rows;
  private long sumOfCounts;

  private WindowCountSink(@Nullable Map<WindowCounts.Window, Long> windows) {
    this.windows = windows;
  }

  /** A sink that only counts rows and sums views, as the workloads define it. */
  public static WindowCountSink counting() {
    return new WindowCountSink(null);
  }

  /** A sink that also keeps every window it was given. */
  public static WindowCountSink recording() {
    return new WindowCountSink(new HashMap<>());
  }

  @Override
  public synchronized void call(Dataset<Row> batch, long batchId) {
    Map<WindowCounts.Window, Long> kept = windows;
    for (Row row : batch.collectAsList()) {
      long views = row.getLong("views");
      rows++;
      sumOfCounts += views;
      if (kept != null) {
        record(kept, new WindowCounts.Window(row.getLong("windowStart"),
            row.getLong("campaignId")), views, batchId);
      }
    }
  }

  private static void record(Map<WindowCounts.Window, Long> kept, WindowCounts.Window window,
      long views, long batchId) {
    Long before = kept.put(window, views);
    if (before != null) {
      throw new IllegalStateException("batch " + batchId + " wrote " + window + " again ("
          + views + " views, first " + before + ")");
    }
  }

  public synchronized long rows() {
    return rows;
  }

  public synchronized long sumOfCounts() {
    return sumOfCounts;
  }

  /** The windows written so far and their views; empty unless {@link #recording()}. */
  public synchronized Map<WindowCounts.Window, Long> windows() {
    return windows == null ? Map.of() : Map.copyOf(windows);
  }

  /** Throws if this sink's rows or sum of views differ from {@code expected}'s. */
  public synchronized void check(WindowCounts expected) {
    if (rows != expected.rows() || sumOfCounts != expected.sumOfCounts()) {
      throw new IllegalStateException("the sink got " + rows + " windows with " + sumOfCounts
          + " views; expected " + expected.rows() + " windows with " + expected.sumOfCounts()
          + " views");
    }
  }
}
