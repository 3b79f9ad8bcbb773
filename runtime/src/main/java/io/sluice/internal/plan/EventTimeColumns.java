package io.sluice.internal.plan;

import io.sluice.internal.analysis.Bound;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which columns carry a watermark's event time: the column a {@code withWatermark} names, and
 * plain references to it through filters and projections, as Spark tracks the event-time
 * attribute. A computed column or a user function's output does not carry it.
 */
final class EventTimeColumns {
  private EventTimeColumns() {}

  /**
   * The event-time columns of the output of {@code operators} (source side first), over input
   * whose event-time columns are {@code input}.
   */
  static Set<Integer> of(Set<Integer> input, List<LogicalPlan> operators) {
    return marks(input, operators).times();
  }

  /**
   * The window columns of the output of {@code operators} (source side first) that a projection
   * computed from an event-time column, as {@code select(window(time, "10 minutes"))}: Spark
   * marks them with the watermark too, so that a join on them evicts by the window's end.
   */
  static Set<Integer> windowsOf(List<LogicalPlan> operators) {
    return marks(Set.of(), operators).windows();
  }

  /** The columns that carry the watermark: event times, and windows over them. */
  private record Marks(Set<Integer> times, Set<Integer> windows) {}

  private static Marks marks(Set<Integer> input, List<LogicalPlan> operators) {
    Marks current = new Marks(new HashSet<>(input), new HashSet<>());
    for (LogicalPlan op : operators) {
      if (op instanceof LogicalPlan.Watermark w) {
        current.times().add(w.column());
      } else if (op instanceof LogicalPlan.Project p) {
        Marks next = new Marks(new HashSet<>(), new HashSet<>());
        for (int j = 0; j < p.columns().size(); j++) {
          Bound e = p.columns().get(j).expression();
          if (e instanceof Bound.Column c && current.times().contains(c.ordinal())) {
            next.times().add(j);
          } else if (e instanceof Bound.Column c && current.windows().contains(c.ordinal())
              || e instanceof Bound.TimeWindow w && w.time() instanceof Bound.Column t
                  && current.times().contains(t.ordinal())) {
            next.windows().add(j);
          }
        }
        current = next;
      } else if (op instanceof LogicalPlan.MapRecords) {
        current = new Marks(new HashSet<>(), new HashSet<>());
      }
    }
    return current;
  }

  /**
   * The grouping that is an event-time column or a window over one, or -1. Late rows and closed
   * groups are judged by it.
   */
  static int keyOf(List<Bound> groupings, Set<Integer> eventTimeColumns) {
    for (int k = 0; k < groupings.size(); k++) {
      Bound g = groupings.get(k);
      Bound time = g instanceof Bound.TimeWindow w ? w.time()
          : g instanceof Bound.SessionWindow s ? s.time() : g;
      if (time instanceof Bound.Column c && eventTimeColumns.contains(c.ordinal())) {
        return k;
      }
    }
    return -1;
  }
}
