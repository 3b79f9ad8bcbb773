package io.sluice.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a streaming query runs its micro-batches, as in Structured Streaming.
 *
 * <ul>
 *   <li>{@link #defaultTrigger()}: the next batch starts as soon as the last one ends and new data
 *       is there.
 *   <li>{@link #processingTime(Duration)}: a batch every interval (immediately after, if a batch
 *       overran); no batch when there is no new data.
 *   <li>{@link #once()}: one batch of whatever is available, then stop; read limits such as
 *       {@code maxFilesPerTrigger} do not apply, as in Spark.
 *   <li>{@link #availableNow()}: everything available at start, in as many batches as the source
 *       limits allow (e.g. {@code maxFilesPerTrigger}), then stop.
 * </ul>
 */
public final class Trigger {
  /** The kinds of trigger. */
  public enum Kind {
    PROCESSING_TIME,
    ONCE,
    AVAILABLE_NOW
  }

  private static final Pattern INTERVAL =
      Pattern.compile("(\\d+)\\s*(ms|millis|milliseconds?|s|seconds?|m|minutes?|h|hours?)");

  private final Kind kind;
  private final Duration interval;

  private Trigger(Kind kind, Duration interval) {
    this.kind = kind;
    this.interval = interval;
  }

  public static Trigger defaultTrigger() {
    return new Trigger(Kind.PROCESSING_TIME, Duration.ZERO);
  }

  public static Trigger processingTime(Duration interval) {
    if (interval.isNegative()) {
      throw new SluiceException(ErrorKind.INVALID_OPTION,
          "trigger interval must not be negative: " + interval);
    }
    return new Trigger(Kind.PROCESSING_TIME, interval);
  }

  public static Trigger processingTime(long intervalMillis) {
    return processingTime(Duration.ofMillis(intervalMillis));
  }

  /** An interval such as {@code "10 seconds"}, {@code "500 ms"} or {@code "1 minute"}. */
  public static Trigger processingTime(String interval) {
    Matcher m = INTERVAL.matcher(interval.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new SluiceException(ErrorKind.INVALID_OPTION,
          "cannot read trigger interval '" + interval + "'; write e.g. '10 seconds' or '500 ms'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    Duration d = unit.startsWith("ms") || unit.startsWith("milli") ? Duration.ofMillis(n)
        : unit.startsWith("s") ? Duration.ofSeconds(n)
        : unit.startsWith("m") ? Duration.ofMinutes(n)
        : Duration.ofHours(n);
    return processingTime(d);
  }

  public static Trigger once() {
    return new Trigger(Kind.ONCE, Duration.ZERO);
  }

  public static Trigger availableNow() {
    return new Trigger(Kind.AVAILABLE_NOW, Duration.ZERO);
  }

  public Kind kind() {
    return kind;
  }

  /** The interval of a processing-time trigger; zero for the default trigger. */
  public Duration interval() {
    return interval;
  }

  @Override
  public String toString() {
    return kind == Kind.PROCESSING_TIME ? "ProcessingTime(" + interval.toMillis() + " ms)"
        : kind == Kind.ONCE ? "Once" : "AvailableNow";
  }
}
