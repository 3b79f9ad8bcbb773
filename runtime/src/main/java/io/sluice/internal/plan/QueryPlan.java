package io.sluice.internal.plan;

import io.sluice.api.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query cut into stages: the operators before the aggregation (fused into the first generated
 * stage), the aggregation if any, and the operators after it over the aggregation's raw result,
 * starting with the projection to its output columns (fused into the second stage). Operators are
 * listed from the source upward.
 */
public record QueryPlan(LogicalPlan.Scan scan, List<LogicalPlan> preAggregation,
    @Nullable AggregationPlan aggregation, List<LogicalPlan> postAggregation) {

  /** The schema of the rows the query writes. */
  public Schema outputSchema() {
    if (!postAggregation.isEmpty()) {
      return postAggregation.get(postAggregation.size() - 1).schema();
    }
    return preAggregation.isEmpty()
        ? scan.schema()
        : preAggregation.get(preAggregation.size() - 1).schema();
  }

  /** The schema the first stage produces: the aggregation's input, or the query's output. */
  public Schema firstStageSchema() {
    return preAggregation.isEmpty()
        ? scan.schema()
        : preAggregation.get(preAggregation.size() - 1).schema();
  }

  public boolean isStateful() {
    return aggregation != null;
  }
}
