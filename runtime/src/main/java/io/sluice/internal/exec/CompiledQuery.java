package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.AggregationStage;
import io.sluice.internal.batch.PipelineStage;
import io.sluice.internal.codegen.QueryNaming;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.codegen.StageSources;
import io.sluice.internal.plan.QueryPlan;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query's generated stages, instantiated: the first stage (stateless, or feeding an
 * aggregation) and, after an aggregation, the stage that shapes its output.
 *
 * <p>Each stage class is taken, in this order, from the classes the annotation processor compiled
 * at build time (when the query comes from a {@code @StreamQuery} class and the class's source
 * digest matches what the engine generates now), or compiled by Janino.
 */
final class CompiledQuery {
  final QueryPlan plan;
  /** For a union, the stage of each input, which turns its rows into the union's. */
  final List<PipelineStage> unionInputs;
  /** The stage whose rows the row operator (e.g. a deduplication) takes; null without one. */
  final @Nullable PipelineStage beforeOperator;
  final @Nullable PipelineStage pipeline;
  final @Nullable AggregationStage aggregation;
  final @Nullable PipelineStage afterAggregation;
  final List<GeneratedStage> sources;
  /** For each stage, "javac (build time)" or "Janino". */
  final List<String> compilers;

  private CompiledQuery(QueryPlan plan, List<GeneratedStage> sources, List<Object> stages,
      List<String> compilers) {
    this.plan = plan;
    this.sources = sources;
    this.compilers = compilers;
    int inputs = plan.unionInputs().size();
    List<PipelineStage> union = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      union.add((PipelineStage) stages.get(i));
    }
    this.unionInputs = List.copyOf(union);
    int first = inputs + (plan.operator() == null ? 0 : 1);
    this.beforeOperator = plan.operator() == null ? null
        : (PipelineStage) stages.get(inputs);
    if (plan.aggregation() == null) {
      this.pipeline = (PipelineStage) stages.get(first);
      this.aggregation = null;
      this.afterAggregation = null;
    } else {
      this.pipeline = null;
      this.aggregation = (AggregationStage) stages.get(first);
      this.afterAggregation = (PipelineStage) stages.get(first + 1);
    }
  }

  /**
   * Generates and loads the stages; {@code precompiled} is the class loader of the
   * {@code @StreamQuery} class whose build-time stages may be used, or null.
   */
  static CompiledQuery compile(QueryPlan plan, QueryNaming naming,
      @Nullable ClassLoader precompiled, EngineContext context) {
    List<GeneratedStage> sources = StageSources.generate(plan, naming);
    List<Object> stages = new ArrayList<>();
    List<String> compilers = new ArrayList<>();
    for (GeneratedStage stage : sources) {
      Class<?> type = precompiled == null ? null : buildTime(stage, precompiled);
      compilers.add(type != null ? "javac (build time)" : "Janino");
      if (type == null) {
        type = context.compiler().compile(stage.file(), context.classLoader());
      }
      stages.add(instantiate(stage, type));
    }
    return new CompiledQuery(plan, sources, stages, compilers);
  }

  /** The build-time class for {@code stage}, if there is one with the same source digest. */
  private static @Nullable Class<?> buildTime(GeneratedStage stage, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(stage.className(), true, loader);
      Field digest = type.getField(GeneratedStage.DIGEST_FIELD);
      return stage.digest().equals(digest.get(null)) ? type : null;
    } catch (ClassNotFoundException | NoSuchFieldException | IllegalAccessException e) {
      return null;
    }
  }

  private static Object instantiate(GeneratedStage stage, Class<?> type) {
    try {
      return type.getConstructor(Object[].class).newInstance((Object) stage.constants());
    } catch (ReflectiveOperationException e) {
      throw new SluiceException(ErrorKind.CODEGEN,
          "cannot instantiate generated " + stage.className() + ": " + e, e);
    }
  }
}
