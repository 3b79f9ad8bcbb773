package io.sluice.internal.batch;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.IntervalText;
import org.jspecify.annotations.Nullable;

/** The arithmetic of event-time windows, called from generated code. */
public final class Windows {
  private Windows() {}

  /**
   * The start of the last window of the grid {@code k * slide + offset} that starts at or before
   * {@code time}; the other windows containing it start one slide earlier each.
   */
  public static long lastStart(long time, long slide, long offset) {
    return time - Math.floorMod(time - offset, slide);
  }

  /**
   * The gap of a session given as text per row, in milliseconds; a gap that does not parse fails
   * the batch with the text in the message.
   */
  public static long gapMillis(@Nullable String text) {
    try {
      return IntervalText.parseMillis(text);
    } catch (IllegalArgumentException e) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS,
          "invalid session_window gap: " + e.getMessage());
    }
  }
}
