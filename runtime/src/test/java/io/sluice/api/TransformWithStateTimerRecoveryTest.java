package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-time timers of {@code transformWithState} fired in a batch without data whose sink wrote
 * and then failed, as a process killed between the sink's commit and the checkpoint's: the batch
 * runs again after a restart with the same id and the same timers, and they never fire again.
 * The crash harness's {@code processor-timers} kind rarely lands a kill inside such a batch (it is
 * short), so this test holds that moment still.
 */
class TransformWithStateTimerRecoveryTest {
  private final ManualClock clock = new ManualClock(0);

  @TempDir
  Path input;
  @TempDir
  Path checkpoint;

  private static String tickAt(String key, int second) {
    return "{\"key\":\"" + key + "\",\"time\":\"" + Tick.T0.plusSeconds(second)
        + "\",\"value\":1}";
  }

  /**
   * Runs the query until it has read everything, in a new engine as a restarted process would;
   * the sink hands each batch's rows to {@code rows} and then, for batch {@code failingBatch},
   * fails.
   */
  private void run(List<List<Object>> rows, long failingBatch) throws InterruptedException {
    try (Sluice fresh = Sluice.builder().clock(clock).build()) {
      Dataset<KeyCount> out = fresh.readStream().json(input.toString(), Tick.class)
          .withWatermark("time", "5 seconds")
          .groupByKey(Tick::key, String.class)
          .transformWithState(new TransformWithStateTest.IdleAfter(), TimeMode.EVENT_TIME,
              OutputMode.APPEND, KeyCount.class);
      StreamingQuery q = out.writeStream().outputMode(OutputMode.APPEND)
          .option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.availableNow())
          .foreachBatch((batch, id) -> {
            for (KeyCount c : batch.collectAsList()) {
              rows.add(List.of(id, c.key(), c.n()));
            }
            if (id == failingBatch) {
              throw new java.io.IOException("killed after the sink wrote");
            }
          })
          .start();
      if (failingBatch >= 0) {
        assertThatThrownBy(q::awaitTermination).hasStackTraceContaining("killed after the sink");
      } else {
        q.awaitTermination();
      }
    }
  }

  private List<List<Object>> run() throws InterruptedException {
    List<List<Object>> rows = new ArrayList<>();
    run(rows, -1);
    return rows;
  }

  @Test
  void timersOfABatchWithoutDataRunAgainAfterASinkWriteFireOnceWithTheSameOutput()
      throws Exception {
    ApiTestSupport.writeFile(input, "1.json", 1, tickAt("a", 1), tickAt("a", 3), tickAt("b", 2));
    // Batch 0: a's timer at 13 s, b's at 12 s; batch 1 without data, up to -2 s: none due.
    assertThat(run()).isEmpty();
    ApiTestSupport.writeFile(input, "2.json", 2, tickAt("c", 30));
    // Batch 2: c's timer at 40 s; batch 3 without data, at 25 s: a's and b's fire, the sink
    // writes them, and the process dies before the checkpoint commits batch 3.
    List<List<Object>> failed = new ArrayList<>();
    run(failed, 3);
    assertThat(failed).containsExactlyInAnyOrder(List.of(3L, "a", 2L), List.of(3L, "b", 1L));
    // Restarted with no new file: batch 3 runs again, logged, with the same timers and rows.
    assertThat(run()).containsExactlyInAnyOrder(List.of(3L, "a", 2L), List.of(3L, "b", 1L));
    ApiTestSupport.writeFile(input, "3.json", 3, tickAt("d", 31));
    // Batches 4 and 5, up to 26 s: a's and b's timers are gone, c's is not due.
    assertThat(run()).isEmpty();
    ApiTestSupport.writeFile(input, "4.json", 4, tickAt("e", 50));
    // Batches 6 and 7, up to 45 s: c's timer, and d's at 41 s, fire once each.
    assertThat(run()).containsExactlyInAnyOrder(List.of(7L, "c", 1L), List.of(7L, "d", 1L));
  }
}
