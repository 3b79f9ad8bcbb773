package io.sluice.internal.plan;

import io.sluice.api.ErrorKind;
import io.sluice.api.OutputMode;
import io.sluice.api.SluiceException;

/**
 * Structured Streaming's rules on which output mode fits which query, checked before a query
 * starts, with Spark's reasons in the message.
 */
public final class StreamingRules {
  private StreamingRules() {}

  public static void check(QueryPlan plan, OutputMode mode) {
    if (plan.operator() instanceof GroupsWithStatePlan g) {
      checkGroupsWithState(g, plan.aggregation() != null, mode);
    }
    if (plan.operator() instanceof TransformWithStatePlan t && plan.aggregation() == null
        && mode != OutputMode.COMPLETE && t.operatorMode() != mode) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, "transformWithState in "
          + t.operatorMode().name().toLowerCase(java.util.Locale.ROOT) + " mode is not supported"
          + " with " + name(mode) + " output mode on a streaming dataset");
    }
    // Complete mode fails below first, as in Spark, for want of an aggregation.
    if (plan.operator() instanceof StreamJoinPlan && mode == OutputMode.UPDATE) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, "Join between two streaming"
          + " DataFrames/Datasets is not supported in " + name(mode) + " output mode, only in"
          + " Append output mode");
    }
    AggregationPlan aggregation = plan.aggregation();
    if (aggregation != null) {
      if (mode == OutputMode.UPDATE && aggregation.hasSessionWindow()) {
        throw new SluiceException(ErrorKind.OUTPUT_MODE, "update output mode is not supported"
            + " for session windows, as in Spark: a session that merges with another would have"
            + " to retract rows already emitted; use append or complete mode");
      }
      if (mode == OutputMode.APPEND && !aggregation.hasEventTimeKey()) {
        throw new SluiceException(ErrorKind.OUTPUT_MODE,
            "append output mode is not supported for a streaming aggregation without a watermark: "
                + "an aggregate can change with every batch, so no row is ever final; "
                + "use update or complete mode, or group by a window over a column given to"
                + " withWatermark");
      }
    } else if (mode == OutputMode.COMPLETE) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE,
          "complete output mode is not supported when there are no streaming aggregations: "
              + "the result table would be every row ever seen; use append or update mode");
    }
  }

  /** Spark's rules: a state function's own mode must be the query's, unless an aggregation follows. */
  private static void checkGroupsWithState(GroupsWithStatePlan g, boolean aggregated,
      OutputMode mode) {
    if (!g.flat()) {
      if (aggregated) {
        throw new SluiceException(ErrorKind.OUTPUT_MODE, "mapGroupsWithState is not supported"
            + " with aggregation on a streaming dataset; use flatMapGroupsWithState in append"
            + " mode");
      }
      if (mode != OutputMode.UPDATE) {
        throw new SluiceException(ErrorKind.OUTPUT_MODE, "mapGroupsWithState is not supported"
            + " with " + name(mode) + " output mode on a streaming dataset; use update mode");
      }
    } else if (!aggregated && mode != OutputMode.COMPLETE && g.operatorMode() != mode) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, "flatMapGroupsWithState in "
          + g.operatorMode().name().toLowerCase(java.util.Locale.ROOT) + " mode is not supported"
          + " with " + name(mode) + " output mode on a streaming dataset");
    }
  }

  private static String name(OutputMode mode) {
    String lower = mode.name().toLowerCase(java.util.Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }
}
