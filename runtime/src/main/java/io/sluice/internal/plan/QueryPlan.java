package io.sluice.internal.plan;

import io.sluice.api.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query cut into stages: the operators before the aggregation (fused into the first generated
 * stage), the aggregation if any, and the operators after it over the aggregation's raw result,
 * starting with the projection to its output columns (fused into the second stage). Operators are
 * listed from the source upward.
 */
public record QueryPlan(LogicalPlan.Scan scan, List<UnionInput> unionInputs,
    List<LogicalPlan> preOperator, @Nullable RowOperatorPlan operator,
    List<LogicalPlan> preAggregation, @Nullable AggregationPlan aggregation,
    List<LogicalPlan> postAggregation) {

  /** A plan of one input without deduplication. */
  public QueryPlan(LogicalPlan.Scan scan, List<LogicalPlan> preAggregation,
      @Nullable AggregationPlan aggregation, List<LogicalPlan> postAggregation) {
    this(scan, List.of(), List.of(), null, preAggregation, aggregation, postAggregation);
  }

  /**
   * One input of a union: its source and the operators that turn its rows into the union's,
   * run by a stage of their own. With a union, {@link #scan} reads all inputs, each through its
   * stage, and yields the union's rows.
   */
  public record UnionInput(LogicalPlan.Scan scan, List<LogicalPlan> operators) {}

  /** The deduplication of the query, if its row operator is one. */
  public @Nullable DeduplicationPlan deduplication() {
    return operator instanceof DeduplicationPlan d ? d : null;
  }

  /** The schema of the rows the stage after the row operator (or the first stage) reads. */
  public Schema afterDeduplicationSchema() {
    return operator == null ? scan.schema() : operator.outputSchema();
  }

  /** The schema of the rows the query writes. */
  public Schema outputSchema() {
    if (!postAggregation.isEmpty()) {
      return postAggregation.get(postAggregation.size() - 1).schema();
    }
    return preAggregation.isEmpty()
        ? afterDeduplicationSchema()
        : preAggregation.get(preAggregation.size() - 1).schema();
  }

  /** The schema the first stage produces: the aggregation's input, or the query's output. */
  public Schema firstStageSchema() {
    return preAggregation.isEmpty()
        ? afterDeduplicationSchema()
        : preAggregation.get(preAggregation.size() - 1).schema();
  }

  /** The {@code withWatermark} operators, source side first: their order in BatchEventTime. */
  public List<LogicalPlan.Watermark> watermarks() {
    return java.util.stream.Stream.of(
            unionInputs.stream().flatMap(i -> i.operators().stream()),
            preOperator.stream(), preAggregation.stream())
        .flatMap(ops -> ops)
        .filter(LogicalPlan.Watermark.class::isInstance)
        .map(LogicalPlan.Watermark.class::cast).toList();
  }

  public boolean isStateful() {
    return aggregation != null || operator != null;
  }
}
