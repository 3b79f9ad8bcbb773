package io.sluice.internal.plan;

import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.api.TimeMode;
import io.sluice.internal.analysis.RecordSchema;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A planned {@code transformWithState}: input rows are read as {@code values} records and grouped
 * by the user's key function; the user's {@code StatefulProcessor} is called per key with its
 * rows, then per timer that fired, and its records are the output. {@code eventTimeColumn} is the
 * input's event-time column (-1 without a watermark); {@code initialState} is null without one.
 */
public record TransformWithStatePlan(Schema inputSchema, RecordSchema values, Object keyFunction,
    Class<?> keyType, RecordSchema output, Object processor,
    BiConsumer<Object, Object> installHandle, TimeMode timeMode, OutputMode operatorMode,
    int eventTimeColumn, @Nullable InitialState initialState) implements RowOperatorPlan {

  @Override
  public Schema outputSchema() {
    return output.schema();
  }

  @Override
  public String inputStageLabel() {
    return "transformWithState input";
  }
}
