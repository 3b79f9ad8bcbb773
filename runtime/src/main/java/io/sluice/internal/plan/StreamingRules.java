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
}
