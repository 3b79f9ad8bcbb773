package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The watermark of a {@link StreamQuery}'s input, as {@code Dataset.withWatermark(column, delay)}
 * declares it: event times may trail the latest one seen by {@link #delay}, and windows and groups
 * the watermark passes are closed. It is only written as the value of {@link
 * StreamQuery#watermark}: {@code watermark = @Watermark(delay = "10 seconds")}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Watermark {
  /**
   * The event-time column: a {@code long} of epoch milliseconds or an {@code Instant}; if empty,
   * the component of the {@code from} type marked {@link EventTime}.
   */
  String column() default "";

  /** How far event time may trail the latest one seen, e.g. {@code "10 seconds"}. */
  String delay();
}
