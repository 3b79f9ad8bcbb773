package io.sluice.internal.exec;

import io.sluice.api.StateOperatorProgress;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.plan.DeduplicationPlan;
import io.sluice.internal.plan.GroupsWithStatePlan;
import io.sluice.internal.plan.RowOperatorPlan;
import io.sluice.internal.plan.StreamJoinPlan;
import io.sluice.internal.plan.TransformWithStatePlan;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stateful operator between two stages of a query, fed the batch's rows chunk by chunk: it may
 * pass rows on at once (a deduplication) or hold them until the batch's input is read (a state
 * function, called once per key). Its state changes become the batch's state version.
 */
interface RowOperator extends AutoCloseable {
  /** Makes the operator for {@code plan}, with state in {@code stateDirectory} if not null. */
  static RowOperator create(String prefix, RowOperatorPlan plan, EngineContext context,
      @Nullable Path stateDirectory, long committedVersion) {
    if (plan instanceof DeduplicationPlan d) {
      return new Deduplication(prefix + "-deduplicate", d, context.state(), context.workers(),
          stateDirectory, committedVersion);
    }
    if (plan instanceof StreamJoinPlan j) {
      return new SymmetricHashJoin(prefix + "-join", j, context, stateDirectory,
          committedVersion);
    }
    if (plan instanceof TransformWithStatePlan t) {
      return new TransformWithState(prefix + "-transform", t, context, stateDirectory,
          committedVersion);
    }
    return new GroupsWithState(prefix + "-groups", (GroupsWithStatePlan) plan, context,
        stateDirectory, committedVersion);
  }

  /** Forgets what a failed attempt of this batch left behind. */
  void beginBatch();

  /** Takes rows of the batch, appending to {@code out} any it passes on at once. */
  void accept(ColumnBatch in, ColumnBatch out, BatchEventTime time) throws Exception;

  /**
   * After the batch's input: adds to {@code out} the rows held back, and writes the state
   * changes as {@code version}.
   */
  void finish(long version, BatchEventTime time, List<ColumnBatch> out);

  /** After version {@code committed} is committed: state maintenance. */
  void afterCommit(long committed);

  /**
   * Whether a batch must run without new data: {@code watermarkMoved} says the watermark rose
   * past the last batch's, {@code now} is the processing time the batch would run at.
   */
  boolean needsBatchWithoutData(boolean watermarkMoved, long now);

  /**
   * What the operator did in the last batch, for progress; {@code allUpdatesTimeMs} is what the
   * query measured around the operator.
   */
  StateOperatorProgress progress(int statePartitions, long allUpdatesTimeMs);

  /** What it is, for error messages: "deduplication", "flatMapGroupsWithState". */
  String describe();

  @Override
  void close();
}
