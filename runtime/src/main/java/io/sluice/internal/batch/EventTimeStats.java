package io.sluice.internal.batch;

/**
 * The event times one {@code withWatermark} saw in a batch: min, max, sum and count, for the next
 * watermark and for the {@code eventTime} of progress.
 */
public final class EventTimeStats {
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;
  private double sum;
  private long count;

  public void add(long eventTime) {
    if (eventTime < min) {
      min = eventTime;
    }
    if (eventTime > max) {
      max = eventTime;
    }
    sum += eventTime;
    count++;
  }

  public long count() {
    return count;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  public long average() {
    return count == 0 ? 0 : Math.round(sum / count);
  }

  /** Adds the times {@code other} saw, e.g. another operator's, for progress. */
  public void addAll(EventTimeStats other) {
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    sum += other.sum;
    count += other.count;
  }
}
