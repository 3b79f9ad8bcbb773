package io.sluice.internal.batch;

/**
 * What a batch knows and learns of event time: its two watermarks, and the event times each
 * {@code withWatermark} operator saw.
 *
 * <p>As in Spark, a stateful operator evicts by the watermark of this batch but drops input as
 * late by the previous batch's, so that a row the watermark passed only at the end of the last
 * batch still counts. One batch runs its stages on one thread, so nothing here is synchronized.
 */
public final class BatchEventTime {
  /** This batch's watermark in epoch ms: groups ending at or before it are closed and evicted. */
  public final long watermark;

  /** The previous batch's watermark: input ending at or before it is late and dropped. */
  public final long lateWatermark;

  /** The batch's processing time in epoch ms, logged with it so that a re-run sees the same. */
  public final long processingTime;

  /** Whether the query has a watermark at all. */
  public final boolean hasWatermark;

  private final EventTimeStats[] observed;

  public BatchEventTime(long watermark, long lateWatermark, int watermarkOperators,
      long processingTime, boolean hasWatermark) {
    this(watermark, lateWatermark, processingTime, hasWatermark,
        new EventTimeStats[watermarkOperators]);
    for (int i = 0; i < watermarkOperators; i++) {
      observed[i] = new EventTimeStats();
    }
  }

  private BatchEventTime(long watermark, long lateWatermark, long processingTime,
      boolean hasWatermark, EventTimeStats[] observed) {
    this.watermark = watermark;
    this.lateWatermark = lateWatermark;
    this.processingTime = processingTime;
    this.hasWatermark = hasWatermark;
    this.observed = observed;
  }

  /**
   * The same batch as an operator after a stream-stream join sees it: both watermarks moved by
   * {@code offsetMs} (at most 0), as the join's output watermark lags the input's by what its
   * condition lets a row wait; the event times observed are shared.
   */
  public BatchEventTime shifted(long offsetMs) {
    return new BatchEventTime(watermark + offsetMs, lateWatermark + offsetMs, processingTime,
        hasWatermark, observed);
  }

  /** Records an event time passing the {@code operator}-th {@code withWatermark} of the query. */
  public void observe(int operator, long eventTime) {
    observed[operator].add(eventTime);
  }

  public EventTimeStats observed(int operator) {
    return observed[operator];
  }

  public int operators() {
    return observed.length;
  }
}
