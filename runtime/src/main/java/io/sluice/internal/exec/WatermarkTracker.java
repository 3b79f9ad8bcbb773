package io.sluice.internal.exec;

import io.sluice.api.WatermarkPolicy;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.EventTimeStats;
import io.sluice.internal.plan.LogicalPlan;
import java.util.List;

/**
 * A query's event-time watermark, moved at the end of each batch as Spark moves it: each {@code
 * withWatermark} operator proposes the largest event time it has seen minus its delay (never
 * going back), the policy picks one of the proposals (an operator that has seen nothing proposes
 * 0), and the query's watermark only ever rises from 0.
 *
 * <p>Only the query's watermark survives a restart, as in Spark; the operators' proposals start
 * over.
 */
final class WatermarkTracker {
  private final long[] delays;
  private final long[] proposed;
  private final WatermarkPolicy policy;
  private long current;

  WatermarkTracker(List<LogicalPlan.Watermark> operators, WatermarkPolicy policy) {
    this.delays = operators.stream().mapToLong(LogicalPlan.Watermark::delayMillis).toArray();
    this.proposed = new long[delays.length];
    this.policy = policy;
  }

  /** Whether the query defines a watermark at all. */
  boolean enabled() {
    return delays.length > 0;
  }

  int operators() {
    return delays.length;
  }

  /** The watermark the next batch uses, in epoch ms. */
  long current() {
    return current;
  }

  /** Resumes from a watermark the checkpoint recorded. */
  void restore(long watermark) {
    current = Math.max(current, watermark);
  }

  /** Takes in what a finished batch saw; returns whether the watermark moved. */
  boolean update(BatchEventTime time) {
    for (int i = 0; i < delays.length; i++) {
      EventTimeStats seen = time.observed(i);
      if (seen.count() > 0) {
        proposed[i] = Math.max(proposed[i], seen.max() - delays[i]);
      }
    }
    if (delays.length == 0) {
      return false;
    }
    long chosen = proposed[0];
    for (long p : proposed) {
      chosen = policy == WatermarkPolicy.MIN ? Math.min(chosen, p) : Math.max(chosen, p);
    }
    if (chosen > current) {
      current = chosen;
      return true;
    }
    return false;
  }
}
