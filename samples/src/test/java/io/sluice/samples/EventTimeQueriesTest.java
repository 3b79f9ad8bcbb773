package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.internal.codegen.StageCompiler;
import io.sluice.testkit.QueryTester;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The annotated event-time queries run end to end on the stage classes javac compiled at build
 * time, batch by batch; expected rows are worked out by hand in the comments. Times are seconds
 * after the epoch.
 */
class EventTimeQueriesTest {
  private static final String BUILD_TIME = "javac (build time)";

  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);
  private final long janinoBefore = StageCompiler.compilations();

  @AfterEach
  void close() {
    engine.close();
  }

  private static Click click(String user, String page, long seconds) {
    return new Click(user, page, seconds * 1000);
  }

  /** Runs one batch, which must read no input (it only moves the watermark), and checks its rows. */
  private static void noDataBatch(QueryTester t, List<?>... rows) {
    long before = t.nextBatchId();
    t.expectBatch(rows);
    assertThat(t.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(t.lastProgress().numInputRows()).isZero();
  }

  private void assertBuildTimeStages(QueryTester t, int stages) {
    assertThat(t.compilers()).hasSize(stages).containsOnly(BUILD_TIME);
    assertThat(StageCompiler.compilations()).as("Janino compilations").isEqualTo(janinoBefore);
  }

  @Test
  void viewsPerMinuteWritesEachMinuteOnceTheWatermarkPassesIt() {
    try (QueryTester t = QueryTester.of(ViewsPerMinute_Query.over(clicks.toDataset())
        .writeStream().outputMode(OutputMode.APPEND))) {
      assertBuildTimeStages(t, 2);
      // Batch 0 runs with watermark 0: nothing closes. Latest 65 s: the watermark moves to 55 s.
      clicks.addData(click("ann", "home", 5), click("bob", "home", 20), click("bot", "home", 30),
          click("ann", "cart", 50), click("cy", "home", 65));
      t.expectBatch();
      // No data, watermark 55 s: minute [0 s, 60 s) is still open.
      noDataBatch(t);
      // 58 s is behind the watermark, but its minute is open: it counts. Watermark then 70 s.
      clicks.addData(click("dan", "cart", 58), click("eve", "home", 80));
      t.expectBatch();
      // No data, watermark 70 s: [0 s, 60 s) closes; the bot's view was left out.
      noDataBatch(t, List.of(0L, "home", 2L), List.of(0L, "cart", 2L));
      // 30 s belongs to the closed minute: dropped as late. Watermark then 125 s.
      clicks.addData(click("fay", "home", 30), click("gus", "cart", 135));
      t.expectBatch();
      assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
          .isEqualTo(1);
      // No data, watermark 125 s: [60 s, 120 s) closes; [120 s, 180 s) stays open.
      noDataBatch(t, List.of(60_000L, "home", 2L));
      t.expectNoBatch();
    }
  }

  @Test
  void firstPageViewsForgetsAPairTheDelayAfterItsFirstView() {
    try (QueryTester t = QueryTester.of(FirstPageViews_Query.over(clicks.toDataset())
        .writeStream().outputMode(OutputMode.APPEND))) {
      // Deduplication input, then the stage after it.
      assertBuildTimeStages(t, 2);
      // (ann, home) expires at 11 s, (bob, home) at 14 s, (ann, cart) at 15 s.
      clicks.addData(click("ann", "home", 1), click("ann", "home", 3), click("bob", "home", 4),
          click("ann", "cart", 5));
      t.expectBatch(List.of("ann", "home", 1_000L), List.of("bob", "home", 4_000L),
          List.of("ann", "cart", 5_000L));
      // (ann, home) is still remembered, though its time differs. Watermark then 20 s.
      clicks.addData(click("ann", "home", 9), click("cy", "home", 30));
      t.expectBatch(List.of("cy", "home", 30_000L));
      // No data, watermark 20 s: the three pairs of batch 0 are forgotten.
      noDataBatch(t);
      assertThat(t.lastProgress().stateOperators().get(0).numRowsRemoved()).isEqualTo(3);
      // (ann, home) passes again; bob's 15 s is behind the watermark: dropped as late.
      clicks.addData(click("ann", "home", 25), click("bob", "home", 15));
      t.expectBatch(List.of("ann", "home", 25_000L));
    }
  }

  @Test
  void landingPagesCountsEachUsersFirstClickAcrossBatches() {
    try (QueryTester t = QueryTester.of(LandingPages_Query.over(clicks.toDataset())
        .writeStream().outputMode(OutputMode.UPDATE))) {
      // Deduplication input, partial aggregation, aggregation output.
      assertBuildTimeStages(t, 3);
      clicks.addData(click("ann", "home", 1), click("bob", "home", 2), click("ann", "cart", 3));
      t.expectBatch(List.of("home", 2L));
      // ann and bob were seen in batch 0: only cy is new.
      clicks.addData(click("ann", "home", 4), click("cy", "cart", 5), click("bob", "cart", 6));
      t.expectBatch(List.of("cart", 1L));
    }
  }
}
