package io.sluice.internal.plan;

import io.sluice.api.Schema;
import io.sluice.internal.analysis.Bound;
import java.util.List;

/**
 * A planned aggregation: grouping expressions over the first stage's output, the aggregates with
 * their buffer layout, the raw result schema (grouping columns, then aggregate results), and the
 * projection from the raw result to the columns the user asked for.
 */
public record AggregationPlan(List<Bound> groupings, List<AggregateSlot> aggregates,
    Schema rawSchema, List<NamedExpression> outputs, int longWidth, int refWidth) {

  public boolean hasDistinct() {
    return aggregates.stream()
        .anyMatch(a -> a.function() == io.sluice.internal.analysis.AggregateFunction.COUNT_DISTINCT);
  }
}
