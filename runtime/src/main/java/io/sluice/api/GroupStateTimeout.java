package io.sluice.api;

/**
 * When the state of a key in {@code mapGroupsWithState} / {@code flatMapGroupsWithState} may time
 * out, as Spark's {@code GroupStateTimeout}: never, a processing-time duration after the key was
 * last called ({@link GroupState#setTimeoutDuration}), or once the watermark passes an event time
 * ({@link GroupState#setTimeoutTimestamp}, which needs a watermark).
 */
public enum GroupStateTimeout {
  NO_TIMEOUT,
  PROCESSING_TIME_TIMEOUT,
  EVENT_TIME_TIMEOUT
}
