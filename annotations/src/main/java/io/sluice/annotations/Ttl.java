package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How long the values of a {@link StateVariables} variable live, in processing time, as {@code
 * TTLConfig}: a value state's value expires that long after its last update, each element of a
 * list state and each entry of a map state that long after it was written. Expired values are
 * invisible at once and removed from the state. Without {@code @Ttl} values stay until cleared.
 *
 * <pre>{@code
 * @Ttl("1 hour 30 minutes") ValueState<String> lastCountry();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Ttl {
  /**
   * The time to live, positive, written as a watermark delay is: {@code "10 seconds"}, {@code "1
   * hour 30 minutes"}, {@code "interval 2 days"}; units from milliseconds to weeks.
   */
  String value();
}
