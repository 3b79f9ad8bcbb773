package io.sluice.api;

/**
 * The times a {@code transformWithState} batch runs at, as Spark's {@code TimerValues}: the
 * batch's processing time and its watermark, both fixed for the batch (and the same if it runs
 * again).
 */
public interface TimerValues {
  /** The batch's processing time in epoch ms. */
  long getCurrentProcessingTimeInMs();

  /** The watermark timers fire by in this batch, in epoch ms; -1 without event-time mode. */
  long getCurrentWatermarkInMs();
}
