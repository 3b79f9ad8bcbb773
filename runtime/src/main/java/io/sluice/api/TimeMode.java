package io.sluice.api;

/**
 * Which clock the timers of a {@code transformWithState} processor run on, as Spark's {@code
 * TimeMode}: none (no timers), the batch's processing time, or the query's event-time watermark.
 */
public enum TimeMode {
  /** No timers may be registered. */
  NONE,
  /** Timers fire when a batch's processing time passes them. */
  PROCESSING_TIME,
  /** Timers fire when the watermark passes them; the query needs a watermark. */
  EVENT_TIME
}
