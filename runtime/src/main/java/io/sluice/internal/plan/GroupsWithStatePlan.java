package io.sluice.internal.plan;

import io.sluice.api.GroupStateTimeout;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.RecordSchema;

/**
 * A planned {@code mapGroupsWithState} / {@code flatMapGroupsWithState}: input rows are read as
 * {@code values} records and grouped by the user's key function; the user's function is called
 * once per key with its rows and state, and its records are the output. {@code eventTimeColumn}
 * is the input's event-time column (-1 without a watermark).
 */
public record GroupsWithStatePlan(Schema inputSchema, RecordSchema values, Object keyFunction,
    Class<?> keyType, Class<?> stateType, RecordSchema output, Object function, boolean flat,
    OutputMode operatorMode, GroupStateTimeout timeout, int eventTimeColumn)
    implements RowOperatorPlan {

  @Override
  public Schema outputSchema() {
    return output.schema();
  }

  @Override
  public String inputStageLabel() {
    return "state function input";
  }

  /** The API call, for messages: {@code mapGroupsWithState} or {@code flatMapGroupsWithState}. */
  public String operatorName() {
    return flat ? "flatMapGroupsWithState" : "mapGroupsWithState";
  }
}
