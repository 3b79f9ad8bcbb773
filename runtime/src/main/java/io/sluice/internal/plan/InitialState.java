package io.sluice.internal.plan;

import java.util.List;
import java.util.function.Supplier;

/**
 * The initial state of a {@code transformWithState}: a bounded dataset's records, read when the
 * query's first batch runs, and the function that gives each its grouping key.
 *
 * @param records reads the dataset; its records are of the initial state's type
 * @param keyFunction the {@code MapFunction} of the dataset's {@code groupByKey}
 * @param keyType the boxed key type, the same as the stream's
 */
public record InitialState(Supplier<List<?>> records, Object keyFunction, Class<?> keyType) {}
