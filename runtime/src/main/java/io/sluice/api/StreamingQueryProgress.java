package io.sluice.api;

import io.sluice.internal.exec.ProgressJson;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one micro-batch did, with the field names of Spark's {@code StreamingQueryProgress} so that
 * dashboards and habits carry over.
 *
 * <p>{@code durationMs} has the phases {@code latestOffset}, {@code queryPlanning}, {@code
 * getBatch}, {@code walCommit} (writing the offset log), {@code addBatch} (reading, processing
 * and writing the sink), {@code commitOffsets} and {@code triggerExecution}, the whole batch, in
 * milliseconds; each phase is rounded so that they add up to {@code triggerExecution}, which is
 * also {@code batchDuration}. {@code timestamp} is the ISO-8601 time the trigger fired.
 */
public record StreamingQueryProgress(UUID id, UUID runId, String name, String timestamp,
    long batchId, long batchDuration, Map<String, Long> durationMs, Map<String, String> eventTime,
    List<StateOperatorProgress> stateOperators, List<SourceProgress> sources, SinkProgress sink,
    long numInputRows, double inputRowsPerSecond, double processedRowsPerSecond) {

  /** This progress as one line of JSON, in Spark's layout. */
  public String json() {
    return ProgressJson.write(this, false);
  }

  /** This progress as indented JSON. */
  public String prettyJson() {
    return ProgressJson.write(this, true);
  }

  @Override
  public String toString() {
    return prettyJson();
  }
}
