package io.sluice.samples.nexmark;

import io.sluice.samples.workload.AdEvents;
import java.util.Collection;
import java.util.List;

/**
 * A query's output in brief: how many rows and an order-free checksum of them, so that an
 * engine's run and the plain-Java answer can be compared without keeping every row.
 *
 * <p>The checksum is the sum of each row's mixed {@link List#hashCode}, over the row's values as
 * the engine gives them ({@code Long}, {@code String}, {@code Double}): equal multisets of rows
 * have equal checksums, whatever their order.
 */
public record Answer(long rows, long checksum) {
  /** The answer of these rows, each the values of one output row in column order. */
  public static Answer of(Collection<List<Object>> rows) {
    long sum = 0;
    for (List<Object> row : rows) {
      sum += hash(row);
    }
    return new Answer(rows.size(), sum);
  }

  /** A row's part of the checksum. */
  static long hash(List<Object> row) {
    return AdEvents.mix(row.hashCode());
  }
}
