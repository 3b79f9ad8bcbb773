package io.sluice.internal.plan;

import io.sluice.api.Schema;
import io.sluice.internal.analysis.Bound;
import java.util.List;

/**
 * A planned aggregation: grouping expressions over the first stage's output, the aggregates with
 * their buffer layout, the raw result schema (grouping columns, then aggregate results), and the
 * projection from the raw result to the columns the user asked for.
 *
 * <p>{@code eventTimeKey} is the grouping that carries the watermark's event time (the event-time
 * column itself, or a window over it), or -1: late rows are judged, and closed groups evicted, by
 * it. {@code windowKey} is the grouping that is a window, or -1.
 */
public record AggregationPlan(List<Bound> groupings, List<AggregateSlot> aggregates,
    Schema rawSchema, List<NamedExpression> outputs, int longWidth, int refWidth,
    int eventTimeKey, int windowKey) {

  public boolean hasEventTimeKey() {
    return eventTimeKey >= 0;
  }

  /** Whether the window key is a session window, whose groups merge as sessions grow. */
  public boolean hasSessionWindow() {
    return windowKey >= 0 && groupings.get(windowKey) instanceof Bound.SessionWindow;
  }

  public boolean hasDistinct() {
    return aggregates.stream()
        .anyMatch(a -> a.function() == io.sluice.internal.analysis.AggregateFunction.COUNT_DISTINCT);
  }
}
