package io.sluice.internal.plan;

import io.sluice.api.Schema;

/**
 * A planned stateful operator that works row by row between the query's stages: a
 * deduplication, or per-key state with a user function ({@code flatMapGroupsWithState}). A stage
 * of its own feeds it rows of {@link #inputSchema()}; the rest of the query reads what it emits.
 */
public sealed interface RowOperatorPlan permits DeduplicationPlan, GroupsWithStatePlan,
    TransformWithStatePlan, StreamJoinPlan {
  Schema inputSchema();

  Schema outputSchema();

  /** What the generated stage that feeds it is called after, e.g. "deduplication input". */
  String inputStageLabel();
}
