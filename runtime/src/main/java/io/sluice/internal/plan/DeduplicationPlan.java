package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.Schema;
import java.util.List;

/**
 * A planned {@code dropDuplicates}: the key columns of its input rows, and how the watermark
 * bounds its state. {@code eventTimeColumn} is the input's event-time column (-1 without a
 * watermark): rows the previous batch's watermark passed are dropped as late. {@code
 * eventTimeKey} is its index among the keys (-1 if not a key): only then can keys be evicted,
 * unless {@code withinWatermark}, where each key expires {@code delayMillis} after its first row.
 */
public record DeduplicationPlan(Schema schema, List<Integer> keyColumns, int eventTimeColumn,
    int eventTimeKey, boolean withinWatermark, long delayMillis) implements RowOperatorPlan {

  @Override
  public Schema inputSchema() {
    return schema;
  }

  @Override
  public Schema outputSchema() {
    return schema;
  }

  @Override
  public String inputStageLabel() {
    return "deduplication input";
  }

  public DataType keyType(int k) {
    return schema.field(keyColumns.get(k)).type();
  }

  /** Whether the watermark can evict keys, so that state stays bounded. */
  public boolean evicts() {
    return withinWatermark || eventTimeKey >= 0;
  }
}
