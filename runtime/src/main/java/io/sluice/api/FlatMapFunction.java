package io.sluice.api;

/**
 * A function from one record to any number of records, for {@link Dataset#flatMap}; generated code
 * iterates what it returns.
 */
@FunctionalInterface
public interface FlatMapFunction<T, U> {
  Iterable<? extends U> call(T value) throws Exception;
}
