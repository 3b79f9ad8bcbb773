package io.sluice.api;

import java.time.Instant;

/**
 * The value of a {@code window} or {@code session_window} column: the half-open event-time range
 * {@code [start, end)} in epoch milliseconds, Spark's {@code struct<start, end>}.
 *
 * <p>In expressions its fields read as {@code window.start} and {@code window.end}, both
 * TIMESTAMPs.
 */
public record TimeWindow(long start, long end) {
  public TimeWindow {
    if (end < start) {
      throw new IllegalArgumentException("window end " + end + " is before its start " + start);
    }
  }

  public Instant startInstant() {
    return Instant.ofEpochMilli(start);
  }

  public Instant endInstant() {
    return Instant.ofEpochMilli(end);
  }

  /** Whether {@code eventTime} (epoch ms) falls in this window. */
  public boolean contains(long eventTime) {
    return start <= eventTime && eventTime < end;
  }

  @Override
  public String toString() {
    return "{" + startInstant() + ", " + endInstant() + "}";
  }
}
