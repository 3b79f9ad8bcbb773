package io.sluice.api;

import java.time.Duration;

/**
 * How long a value of a {@code transformWithState} state variable lives after its last update,
 * in processing time, as Spark's {@code TTLConfig}: after that it is invisible and removed.
 *
 * @param ttlDuration the time to live; {@link Duration#ZERO} (see {@link #NONE}) keeps values
 *     forever
 */
public record TTLConfig(Duration ttlDuration) {
  /** No time to live: values stay until cleared. */
  public static final TTLConfig NONE = new TTLConfig(Duration.ZERO);

  public TTLConfig {
    if (ttlDuration == null || ttlDuration.isNegative()) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "a TTL duration must be zero (none) or"
          + " positive, not " + ttlDuration);
    }
  }

  /** Whether values expire at all. */
  public boolean enabled() {
    return !ttlDuration.isZero();
  }
}
