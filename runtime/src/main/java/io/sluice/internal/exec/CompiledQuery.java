package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.AggregationStage;
import io.sluice.internal.batch.PipelineStage;
import io.sluice.internal.codegen.StageCodegen;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.plan.QueryPlan;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query's generated stages, compiled and instantiated: the first stage (stateless, or feeding
 * an aggregation) and, after an aggregation, the stage that shapes its output.
 */
final class CompiledQuery {
  final QueryPlan plan;
  final @Nullable PipelineStage pipeline;
  final @Nullable AggregationStage aggregation;
  final @Nullable PipelineStage afterAggregation;
  final List<GeneratedStage> sources;

  private CompiledQuery(QueryPlan plan, @Nullable PipelineStage pipeline,
      @Nullable AggregationStage aggregation, @Nullable PipelineStage afterAggregation,
      List<GeneratedStage> sources) {
    this.plan = plan;
    this.pipeline = pipeline;
    this.aggregation = aggregation;
    this.afterAggregation = afterAggregation;
    this.sources = sources;
  }

  static CompiledQuery compile(QueryPlan plan, String queryName, EngineContext context) {
    String prefix = className(queryName);
    String origin = "query '" + queryName + "'";
    Schema input = plan.scan().schema();
    List<GeneratedStage> sources = new ArrayList<>();
    AggregationPlan agg = plan.aggregation();
    if (agg == null) {
      GeneratedStage stage = StageCodegen.pipeline(prefix + "_Stage1", origin + ", stage 1",
          input, plan.preAggregation());
      sources.add(stage);
      return new CompiledQuery(plan, instantiate(stage, context, PipelineStage.class), null, null,
          sources);
    }
    GeneratedStage first = StageCodegen.aggregation(prefix + "_Stage1",
        origin + ", stage 1 (partial aggregation)", input, plan.preAggregation(), agg);
    GeneratedStage second = StageCodegen.pipeline(prefix + "_Stage2",
        origin + ", stage 2 (aggregation output)", agg.rawSchema(), plan.postAggregation());
    sources.add(first);
    sources.add(second);
    return new CompiledQuery(plan, null, instantiate(first, context, AggregationStage.class),
        instantiate(second, context, PipelineStage.class), sources);
  }

  /** {@code PageViews} from a query name such as {@code page-views}; {@code Query} if none. */
  static String className(String queryName) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : queryName.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
      out.insert(0, "Query");
    }
    return out.toString();
  }

  private static <T> T instantiate(GeneratedStage stage, EngineContext context, Class<T> type) {
    Class<?> compiled = context.compiler().compile(stage.file(), context.classLoader());
    try {
      return type.cast(compiled.getConstructor(Object[].class).newInstance(
          (Object) stage.constants()));
    } catch (ReflectiveOperationException e) {
      throw new SluiceException(ErrorKind.CODEGEN,
          "cannot instantiate generated " + stage.className() + ": " + e, e);
    }
  }
}
