package io.sluice.internal.codegen;

import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.plan.QueryPlan;
import java.util.List;

/**
 * The generated stages of a planned query, named by a {@link QueryNaming}: what the engine
 * compiles with Janino when a query starts and what the annotation processor writes at build
 * time. One method serves both, so that both produce the same source.
 */
public final class StageSources {
  private StageSources() {}

  /** One stage for a stateless query; two (partial aggregation, output) for an aggregation. */
  public static List<GeneratedStage> generate(QueryPlan plan, QueryNaming naming) {
    AggregationPlan agg = plan.aggregation();
    if (agg == null) {
      return List.of(StageCodegen.pipeline(naming.stage(1, ""), plan.scan().schema(),
          plan.preAggregation()));
    }
    return List.of(
        StageCodegen.aggregation(naming.stage(1, " (partial aggregation)"), plan.scan().schema(),
            plan.preAggregation(), agg),
        StageCodegen.pipeline(naming.stage(2, " (aggregation output)"), agg.rawSchema(),
            plan.postAggregation()));
  }
}
