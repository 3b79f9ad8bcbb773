package io.sluice.internal.connector;

import io.sluice.api.BadRecordPolicy;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the bad-record policy from a source's options, the same way for every source that
 * decodes records (files, Kafka values): {@code badRecords}, or Spark's {@code mode}.
 */
public final class BadRecordOptions {
  private BadRecordOptions() {}

  /** The policy the options choose; {@link BadRecordPolicy#FAIL} when they choose none. */
  public static BadRecordPolicy policy(Options options) {
    BadRecordPolicy policy = parse(options, "badRecords");
    BadRecordPolicy sparkMode = parse(options, "mode");
    if (policy != null && sparkMode != null && policy != sparkMode) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, options.owner() + " options"
          + " 'badRecords' (" + options.get("badRecords") + ") and 'mode' (" + options.get("mode")
          + ") disagree; give one of them");
    }
    return policy != null ? policy : sparkMode != null ? sparkMode : BadRecordPolicy.FAIL;
  }

  /** Whether the user chose a policy at all. */
  public static boolean given(Options options) {
    return options.get("badRecords") != null || options.get("mode") != null;
  }

  private static @Nullable BadRecordPolicy parse(Options options, String key) {
    String value = options.get(key);
    if (value == null) {
      return null;
    }
    try {
      return BadRecordPolicy.parse(value);
    } catch (SluiceException e) {
      throw options.invalid(
          key, value, "fail, drop or deadLetter (or Spark's FAILFAST, DROPMALFORMED)");
    }
  }
}
