package io.sluice.internal.exec;

import io.sluice.api.GroupState;
import io.sluice.api.GroupStateTimeout;
import io.sluice.internal.expression.IntervalText;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@link GroupState} one call of a state function gets, with Spark's rules and messages for
 * misuse. The operator reads what the call left: the state, whether it changed or was removed,
 * and the timeout it asked for (none, unless set in this call).
 */
final class GroupStateImpl<S> implements GroupState<S> {
  /** No timeout set. */
  static final long NO_TIMESTAMP = -1;

  private final String operator;
  private final GroupStateTimeout timeout;
  private final long batchTime;
  private final long watermark;
  private final boolean hasWatermark;
  private final boolean timedOut;
  private @Nullable S value;
  private boolean updated;
  private boolean removed;
  private long timeoutTimestamp = NO_TIMESTAMP;

  GroupStateImpl(String operator, @Nullable S value, GroupStateTimeout timeout, long batchTime,
      long watermark, boolean hasWatermark, boolean timedOut) {
    this.operator = operator;
    this.value = value;
    this.timeout = timeout;
    this.batchTime = batchTime;
    this.watermark = watermark;
    this.hasWatermark = hasWatermark;
    this.timedOut = timedOut;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public S get() {
    if (value == null) {
      throw new NoSuchElementException("State is either not defined or has already been removed");
    }
    return value;
  }

  @Override
  public Optional<S> getOption() {
    return Optional.ofNullable(value);
  }

  @Override
  public void update(S newState) {
    if (newState == null) {
      throw new IllegalArgumentException("'null' is not a valid state value");
    }
    value = newState;
    updated = true;
    removed = false;
  }

  @Override
  public void remove() {
    value = null;
    updated = false;
    removed = true;
  }

  @Override
  public boolean hasTimedOut() {
    return timedOut;
  }

  @Override
  public void setTimeoutDuration(long durationMs) {
    if (timeout != GroupStateTimeout.PROCESSING_TIME_TIMEOUT) {
      throw new UnsupportedOperationException("Cannot set timeout duration without enabling"
          + " processing time timeout in " + operator);
    }
    if (durationMs <= 0) {
      throw new IllegalArgumentException("Timeout duration must be positive");
    }
    timeoutTimestamp = batchTime + durationMs;
  }

  @Override
  public void setTimeoutDuration(String duration) {
    setTimeoutDuration(IntervalText.parseMillis(duration));
  }

  @Override
  public void setTimeoutTimestamp(long timestampMs) {
    if (timeout != GroupStateTimeout.EVENT_TIME_TIMEOUT) {
      throw new UnsupportedOperationException("Cannot set timeout timestamp without enabling"
          + " event time timeout in " + operator);
    }
    if (timestampMs <= 0) {
      throw new IllegalArgumentException("Timeout timestamp must be positive");
    }
    if (hasWatermark && timestampMs < watermark) {
      throw new IllegalArgumentException("Timeout timestamp (" + timestampMs + ") cannot be"
          + " earlier than the current watermark (" + watermark + ")");
    }
    timeoutTimestamp = timestampMs;
  }

  @Override
  public void setTimeoutTimestamp(long timestampMs, String additionalDuration) {
    long extra = IntervalText.parseMillis(additionalDuration);
    if (extra < 0) {
      throw new IllegalArgumentException("Timeout duration must be positive");
    }
    setTimeoutTimestamp(timestampMs + extra);
  }

  @Override
  public long getCurrentWatermarkMs() {
    if (!hasWatermark) {
      throw new UnsupportedOperationException("Cannot get event time watermark timestamp"
          + " without setting watermark before " + operator);
    }
    return watermark;
  }

  @Override
  public long getCurrentProcessingTimeMs() {
    return batchTime;
  }

  @Nullable S value() {
    return value;
  }

  boolean updated() {
    return updated;
  }

  boolean removed() {
    return removed;
  }

  long timeoutTimestamp() {
    return timeoutTimestamp;
  }

  @Override
  public String toString() {
    return "GroupState(" + (value == null ? "<undefined>" : value) + ")";
  }
}
