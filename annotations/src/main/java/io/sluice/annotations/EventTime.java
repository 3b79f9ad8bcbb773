package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the component of an event type that holds the event's time: an epoch-millisecond {@code
 * long} or a {@code java.time.Instant}. A {@link StreamQuery#watermark} that names no column is
 * on it; on a Kotlin property it may sit on the constructor parameter, the field or the getter.
 * A file source also reads timestamp text into a marked {@code long}, as epoch milliseconds.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD,
    ElementType.PARAMETER})
public @interface EventTime {}
