package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.internal.analysis.AggregateFunction;
import io.sluice.internal.analysis.Bound;
import org.jspecify.annotations.Nullable;

/**
 * One aggregate of an aggregation and where its buffer lives in a group's slot: {@code longOffset}
 * into the longs, {@code refOffset} into the object references (min/max of strings and binaries
 * only).
 *
 * <p>Layouts: count and count distinct {@code [count]}; sum {@code [sum, seen]}; avg {@code
 * [sum as double bits, count]}; min/max {@code [value, seen]} or, for strings and binaries, {@code
 * [seen]} plus one reference.
 */
public record AggregateSlot(AggregateFunction function, @Nullable Bound argument,
    DataType resultType, int index, int longOffset, int refOffset) {

  /** The number of longs this aggregate uses. */
  public static int longWidth(AggregateFunction function, @Nullable DataType input) {
    switch (function) {
      case COUNT:
      case COUNT_DISTINCT:
        return 1;
      case MIN:
      case MAX:
        return byReference(input) ? 1 : 2;
      default:
        return 2;
    }
  }

  /** The number of object references this aggregate uses. */
  public static int refWidth(AggregateFunction function, @Nullable DataType input) {
    return (function == AggregateFunction.MIN || function == AggregateFunction.MAX)
        && byReference(input) ? 1 : 0;
  }

  /** Whether min/max of {@code input} keep the value as an object, not in a long. */
  public static boolean byReference(@Nullable DataType input) {
    return input == DataType.STRING || input == DataType.BINARY;
  }

  public @Nullable DataType inputType() {
    return argument == null ? null : argument.type();
  }
}
