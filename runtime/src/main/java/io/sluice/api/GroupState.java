package io.sluice.api;

import java.util.Optional;

/**
 * The state of one key, handed to the function of {@code mapGroupsWithState} and {@code
 * flatMapGroupsWithState} with the key's new rows, as Spark's {@code GroupState}: read it, replace
 * it, remove it, and ask to be called again after a timeout even without new rows.
 *
 * <p>Changes take effect when the batch commits, so a batch run again after a failure sees the
 * state as it was before. A timeout set in one call lasts until the next call for the key.
 *
 * @param <S> the state type: a record or Kotlin data class
 */
public interface GroupState<S> {
  /** Whether the key has state. */
  boolean exists();

  /** The state; a {@link SluiceException} if there is none. */
  S get();

  /** The state, if there is any. */
  Optional<S> getOption();

  /** Replaces the state; {@code null} is refused, as in Spark: use {@link #remove()}. */
  void update(S newState);

  /** Removes the state (and any timeout). */
  void remove();

  /** Whether this call is because the key's timeout expired, with no new rows. */
  boolean hasTimedOut();

  /**
   * Asks for a call {@code durationMs} of processing time after this batch's time, unless the key
   * gets rows first; needs {@link GroupStateTimeout#PROCESSING_TIME_TIMEOUT}.
   */
  void setTimeoutDuration(long durationMs);

  /** The same with a duration as text, e.g. {@code "10 minutes"}. */
  void setTimeoutDuration(String duration);

  /**
   * Asks for a call once the watermark passes {@code timestampMs} (epoch milliseconds), unless the
   * key gets rows first; needs {@link GroupStateTimeout#EVENT_TIME_TIMEOUT} and a watermark.
   *
   * <p>A timestamp before {@link #getCurrentWatermarkMs()} is refused, as in Spark. Rows are judged
   * late by the previous batch's watermark, so a row may arrive whose own timeout (say, its time
   * plus a session gap) is already behind this batch's watermark: compare first, and finish the
   * key's work in this call instead.
   */
  void setTimeoutTimestamp(long timestampMs);

  /** The same, {@code additionalDuration} (e.g. {@code "1 hour"}) after {@code timestampMs}. */
  void setTimeoutTimestamp(long timestampMs, String additionalDuration);

  /** The watermark of this batch in epoch ms; needs a watermark in the query. */
  long getCurrentWatermarkMs();

  /** The processing time of this batch in epoch ms, the same when the batch is run again. */
  long getCurrentProcessingTimeMs();
}
