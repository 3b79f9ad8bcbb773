package io.sluice.internal.plan;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.AggregateFunction;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import java.util.List;

/** Spark's rules on window keys of an aggregation, checked when the query is planned. */
final class WindowKeys {
  private WindowKeys() {}

  /** The index of the grouping that is a window, or -1; refuses what Spark refuses. */
  static int windowKey(List<Bound> groupings, List<NamedExpression> outputs) {
    int found = -1;
    for (int k = 0; k < groupings.size(); k++) {
      Bound g = groupings.get(k);
      if (g instanceof Bound.TimeWindow || g instanceof Bound.SessionWindow) {
        if (found >= 0) {
          throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "grouping by more than one"
              + " window is not supported: each row would fall in a cartesian product of windows");
        }
        found = k;
      } else if (containsWindow(g)) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a sliding window or a"
            + " session_window can only be a grouping key by itself, not part of an expression;"
            + " group by it and compute from window.start or window.end after the aggregation");
      }
    }
    if (found >= 0 && groupings.get(found) instanceof Bound.SessionWindow) {
      if (groupings.size() < 2) {
        throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a streaming aggregation by"
            + " session_window needs at least one more grouping key, as in Spark: sessions are"
            + " kept per key");
      }
      for (NamedExpression output : outputs) {
        if (hasDistinct(output.expression())) {
          throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "count(DISTINCT ...) is"
              + " not supported with session_window: merging sessions would need every value");
        }
      }
    }
    return found;
  }

  private static boolean containsWindow(Bound e) {
    boolean[] found = {false};
    BoundRewriter.rewrite(e, node -> {
      if ((node instanceof Bound.TimeWindow w && !w.tumbling())
          || node instanceof Bound.SessionWindow) {
        found[0] = true;
      }
      return null;
    });
    return found[0];
  }

  private static boolean hasDistinct(Bound e) {
    boolean[] found = {false};
    BoundRewriter.rewrite(e, node -> {
      if (node instanceof Bound.Aggregate a && a.function() == AggregateFunction.COUNT_DISTINCT) {
        found[0] = true;
      }
      return null;
    });
    return found[0];
  }
}
