package io.sluice.internal.connector.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Spark's {@code maxOffsetsPerTrigger}: the limit shared between partitions in proportion to
 * what each has waiting, rounded down, but at least one offset for a partition with any, so
 * that small partitions are never starved (the total may therefore pass the limit, or fall
 * short of it). It counts offsets, not records.
 */
final class OffsetRateLimit {
  private OffsetRateLimit() {}

  /**
   * Where the next batch ends: {@code until} cut down to {@code limit} offsets from {@code from};
   * a partition not in {@code from} starts at {@code newStarts}' offset (its earliest).
   */
  static Map<TopicPartition, Long> limit(long limit, Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> until, Map<TopicPartition, Long> newStarts) {
    Map<TopicPartition, Long> sizes = new HashMap<>();
    double total = 0;
    for (Map.Entry<TopicPartition, Long> e : until.entrySet()) {
      Long begin = from.containsKey(e.getKey()) ? from.get(e.getKey())
          : newStarts.get(e.getKey());
      if (begin != null && e.getValue() - begin > 0) {
        sizes.put(e.getKey(), e.getValue() - begin);
        total += e.getValue() - begin;
      }
    }
    if (total < 1) {
      return until;
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : until.entrySet()) {
      Long size = sizes.get(e.getKey());
      if (size == null) {
        out.put(e.getKey(), e.getValue());
        continue;
      }
      long begin = e.getValue() - size;
      // The same double arithmetic, in the same order, as Spark, for the same rounding.
      double prorate = limit * (size / total);
      long n = (long) (prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate));
      long end = n > Long.MAX_VALUE - begin ? Long.MAX_VALUE : begin + n;
      out.put(e.getKey(), Math.min(e.getValue(), end));
    }
    return out;
  }
}
