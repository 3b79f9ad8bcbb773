package io.sluice.api;

/**
 * A function from one record to another, for {@link Dataset#map}; generated code calls it once per
 * row. Kotlin and Java lambdas convert to it.
 */
@FunctionalInterface
public interface MapFunction<T, U> {
  U call(T value) throws Exception;
}
