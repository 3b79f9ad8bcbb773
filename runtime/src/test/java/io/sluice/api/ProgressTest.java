package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Click;
import io.sluice.testkit.QueryTester;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch's progress has Spark's phases, which add up to the batch's duration, the state fields
 * Spark reports, and Spark's JSON layout: its fields in its order, map keys sorted, empty maps
 * left out.
 */
class ProgressTest {
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":");

  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private QueryTester countsPerPage(Path checkpoint) {
    return QueryTester.of(clicks.toDataset().groupBy("page").count().writeStream()
        .outputMode(OutputMode.UPDATE).option("checkpointLocation", checkpoint.toString()));
  }

  @Test
  void thePhasesAreSparksAndAddUpToTheBatchDuration(@TempDir Path checkpoint) {
    try (QueryTester tester = countsPerPage(checkpoint)) {
      for (int i = 0; i < 5; i++) {
        clicks.addData(Click.of("ann", "home", i), Click.of("bob", "cart", i));
        tester.runBatch();
        StreamingQueryProgress p = tester.lastProgress();
        Map<String, Long> phases = p.durationMs();
        assertThat(phases.keySet()).containsExactly("latestOffset", "queryPlanning", "getBatch",
            "walCommit", "addBatch", "commitOffsets", "triggerExecution");
        long sum = phases.values().stream().mapToLong(Long::longValue).sum()
            - phases.get("triggerExecution");
        assertThat(sum).isEqualTo(phases.get("triggerExecution"));
        assertThat(p.batchDuration()).isEqualTo(phases.get("triggerExecution"));
        assertThat(phases.values()).allMatch(ms -> ms >= 0);
      }
    }
  }

  @Test
  void aStatefulOperatorReportsSparksFields(@TempDir Path checkpoint) {
    try (QueryTester tester = countsPerPage(checkpoint)) {
      clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2),
          Click.of("cy", "home", 3));
      tester.runBatch();
      StateOperatorProgress state = tester.lastProgress().stateOperators().get(0);
      assertThat(state.operatorName()).isEqualTo("stateStoreSave");
      assertThat(state.numRowsTotal()).isEqualTo(2);
      assertThat(state.numRowsUpdated()).isEqualTo(2);
      assertThat(state.numShufflePartitions()).isEqualTo(2);
      assertThat(state.numStateStoreInstances()).isEqualTo(2);
      assertThat(state.allUpdatesTimeMs()).isNotNegative();
      assertThat(state.commitTimeMs()).isNotNegative();
    }
  }

  @Test
  void theJsonHasSparksFieldsInSparksOrder(@TempDir Path checkpoint) {
    try (QueryTester tester = countsPerPage(checkpoint)) {
      clicks.addData(Click.of("ann", "home", 1));
      tester.runBatch();
      String json = tester.lastProgress().json();

      assertThat(fields(json)).startsWith("id", "runId", "name", "timestamp", "batchId",
          "batchDuration", "numInputRows", "inputRowsPerSecond", "processedRowsPerSecond",
          "durationMs", "addBatch", "commitOffsets", "getBatch", "latestOffset",
          "queryPlanning", "triggerExecution", "walCommit", "stateOperators", "operatorName",
          "numRowsTotal", "numRowsUpdated", "allUpdatesTimeMs", "numRowsRemoved",
          "commitTimeMs", "memoryUsedBytes", "numRowsDroppedByWatermark",
          "numShufflePartitions", "numStateStoreInstances", "sources");
      assertThat(fields(json.substring(json.indexOf("\"sink\":")))).as("no empty metrics")
          .containsExactly("sink", "description", "numOutputRows");
      assertThat(json).doesNotContain("eventTime").doesNotContain("{}");
    }
  }

  @Test
  void theOffsetsAreJsonValuesNotStringsAsInSparksLayout(@TempDir Path checkpoint) {
    try (QueryTester tester = countsPerPage(checkpoint)) {
      clicks.addData(Click.of("ann", "home", 1));
      tester.runBatch();
      clicks.addData(Click.of("bob", "home", 2));
      tester.runBatch();
      StreamingQueryProgress p = tester.lastProgress();
      SourceProgress source = p.sources().get(0);

      assertThat(p.json()).contains("\"startOffset\":" + source.startOffset() + ",")
          .contains("\"endOffset\":" + source.endOffset() + ",")
          .contains("\"latestOffset\":" + source.latestOffset() + ",");
    }
  }

  private static List<String> fields(String json) {
    List<String> names = new ArrayList<>();
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
