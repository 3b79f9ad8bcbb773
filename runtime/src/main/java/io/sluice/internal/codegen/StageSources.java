package io.sluice.internal.codegen;

import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.QueryPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated stages of a planned query, named by a {@link QueryNaming}: what the engine
 * compiles with Janino when a query starts and what the annotation processor writes at build
 * time. One method serves both, so that both produce the same source.
 */
public final class StageSources {
  private StageSources() {}

  /**
   * One stage for a stateless query; two (partial aggregation, output) for an aggregation; before
   * either, when the query deduplicates, the stage that feeds the deduplication; and first of
   * all, for a union, one stage per input.
   */
  public static List<GeneratedStage> generate(QueryPlan plan, QueryNaming naming) {
    List<GeneratedStage> stages = new ArrayList<>();
    int watermarks = 0;
    for (int i = 0; i < plan.unionInputs().size(); i++) {
      QueryPlan.UnionInput input = plan.unionInputs().get(i);
      stages.add(StageCodegen.pipeline(naming.stage(stages.size() + 1, " (union input " + i + ")"),
          input.scan().schema(), input.operators(), watermarks));
      watermarks += count(input.operators());
    }
    if (plan.operator() != null) {
      stages.add(StageCodegen.pipeline(naming.stage(stages.size() + 1,
          " (" + plan.operator().inputStageLabel() + ")"), plan.scan().schema(),
          plan.preOperator(), watermarks));
      watermarks += count(plan.preOperator());
    }
    int n = stages.size() + 1;
    AggregationPlan agg = plan.aggregation();
    if (agg == null) {
      stages.add(StageCodegen.pipeline(naming.stage(n, ""), plan.afterDeduplicationSchema(),
          plan.preAggregation(), watermarks));
      return stages;
    }
    stages.add(StageCodegen.aggregation(naming.stage(n, " (partial aggregation)"),
        plan.afterDeduplicationSchema(), plan.preAggregation(), agg, watermarks));
    stages.add(StageCodegen.pipeline(naming.stage(n + 1, " (aggregation output)"),
        agg.rawSchema(), plan.postAggregation()));
    return stages;
  }

  private static int count(List<LogicalPlan> operators) {
    return (int) operators.stream().filter(LogicalPlan.Watermark.class::isInstance).count();
  }
}
