package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dataset;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.Trigger;
import io.sluice.testkit.QueryTester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sessionization sample batch by batch, with a gap of 10 s and a watermark 5 s behind the
 * latest click; expected sessions are worked out by hand in the comments. A session's timeout is
 * its last click plus the gap, and it closes in the first batch whose watermark is past that;
 * times are seconds after {@link #T0}, "watermark after" is the one the next batch runs with.
 */
class SessionizationTest {
  private static final Instant T0 = Instant.parse("2024-01-01T09:00:00Z");
  private static final Duration GAP = Duration.ofSeconds(10);
  private static final Duration DELAY = Duration.ofSeconds(5);

  private final Sluice engine = Sluice.builder().statePartitions(2).build();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static long ms(long seconds) {
    return T0.toEpochMilli() + seconds * 1000;
  }

  private static Click click(String user, String page, long seconds) {
    return new Click(user, page, ms(seconds));
  }

  /** A session as a row of the sink: times in epoch ms. */
  private static List<Object> session(String user, long start, long end, long clicks,
      String landingPage, String exitPage) {
    return List.of(user, ms(start), ms(end), clicks, (end - start) * 1000, landingPage, exitPage);
  }

  private QueryTester tester() {
    return QueryTester.of(Sessionization.sessions(clicks.toDataset(), GAP, DELAY).writeStream()
        .outputMode(OutputMode.APPEND));
  }

  /** Runs one batch, which must run, and checks the sessions it wrote. */
  private static void batch(QueryTester t, List<?>... sessions) {
    long before = t.nextBatchId();
    t.expectBatch(sessions);
    assertThat(t.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
  }

  /** The same for a batch without input, which runs because the watermark moved. */
  private static void noDataBatch(QueryTester t, List<?>... sessions) {
    batch(t, sessions);
    assertThat(t.lastProgress().numInputRows()).isZero();
  }

  private static long openSessions(QueryTester t) {
    return t.lastProgress().stateOperators().get(0).numRowsTotal();
  }

  @Test
  void aSessionGrowsAcrossBatchesAndClosesWhenTheWatermarkPassesItsLastClickPlusTheGap() {
    try (QueryTester t = tester()) {
      // ann [0, 4], timeout 14. Watermark after: -1.
      clicks.addData(click("ann", "home", 0), click("ann", "search", 4));
      batch(t);
      noDataBatch(t);
      // 12 is 8 s after 4: ann [0, 12], timeout 22. Watermark after: 7.
      clicks.addData(click("ann", "cart", 12));
      batch(t);
      noDataBatch(t); // 22 is not before 7
      // bob [30, 30], timeout 40. Watermark after: 25.
      clicks.addData(click("bob", "home", 30));
      batch(t);
      // Watermark 25, past ann's 22; bob stays open.
      noDataBatch(t, session("ann", 0, 12, 3, "home", "cart"));
      assertThat(openSessions(t)).isEqualTo(1);
      t.expectNoBatch();
    }
  }

  @Test
  void aPauseLongerThanTheGapEndsASessionWithinABatchAndAcrossBatches() {
    try (QueryTester t = tester()) {
      // In time order 0, 3, 20, 22: 17 s between 3 and 20 ends [0, 3] at once; [20, 22] stays
      // open with timeout 32. Watermark after: 17.
      clicks.addData(click("ann", "home", 20), click("ann", "home", 0),
          click("ann", "cart", 3), click("ann", "product", 22));
      batch(t, session("ann", 0, 3, 2, "home", "cart"));
      noDataBatch(t); // 32 is not before 17
      // 35 is 13 s after 22: [20, 22] ends though the watermark has not reached its timeout;
      // [35, 35] opens with timeout 45. Watermark after: 30.
      clicks.addData(click("ann", "search", 35));
      batch(t, session("ann", 20, 22, 2, "home", "product"));
      noDataBatch(t);
      // bob's click moves the watermark to 55, past ann's 45.
      clicks.addData(click("bob", "home", 60));
      batch(t);
      noDataBatch(t, session("ann", 35, 35, 1, "search", "search"));
    }
  }

  @Test
  void aLateClickIsDroppedAndDoesNotReopenTheSessionItBelongedTo() {
    try (QueryTester t = tester()) {
      // ann [0, 0] times out at 10, bob [30, 30] at 40. Watermark after: 25.
      clicks.addData(click("ann", "home", 0), click("bob", "home", 30));
      batch(t);
      noDataBatch(t, session("ann", 0, 0, 1, "home", "home"));
      // 8 is behind the watermark of the last batch, 25: dropped. 27 is not: a new session.
      clicks.addData(click("ann", "cart", 8), click("ann", "search", 27));
      batch(t);
      assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark())
          .isEqualTo(1);
      assertThat(openSessions(t)).isEqualTo(2);
      // Watermark after: 55, past ann's 37 and bob's 40.
      clicks.addData(click("cy", "home", 60));
      batch(t);
      noDataBatch(t, session("ann", 27, 27, 1, "search", "search"),
          session("bob", 30, 30, 1, "home", "home"));
    }
  }

  @Test
  void aClickTheWatermarkPassedOnlyInTheLastBatchCountsAndEndsItsSessionAtOnce() {
    try (QueryTester t = tester()) {
      // ann [0, 0] times out at 10, bob [100, 100] at 110. Watermark after: 95.
      clicks.addData(click("ann", "home", 0), click("bob", "home", 100));
      batch(t);
      // ann's 3 comes before the batch without data could run: it is late only if behind the
      // last batch's watermark, 0. It makes ann [0, 3], whose timeout, 13, is behind this batch's
      // watermark, 95, so setTimeoutTimestamp would refuse it: the function writes the session.
      clicks.addData(click("ann", "cart", 3));
      batch(t, session("ann", 0, 3, 2, "home", "cart"));
      assertThat(t.lastProgress().stateOperators().get(0).numRowsDroppedByWatermark()).isZero();
      assertThat(openSessions(t)).isEqualTo(1);
      t.expectNoBatch();
    }
  }

  @Nested
  class FromACheckpoint {
    @TempDir
    Path input;
    @TempDir
    Path checkpoint;

    /** Runs the query over what is in {@link #input}; the sessions written, with their batch. */
    private List<List<Object>> runAvailable() throws InterruptedException {
      List<List<Object>> written = new ArrayList<>();
      try (Sluice fresh = Sluice.create()) {
        Dataset<Click> fromFiles = fresh.readStream().json(input.toString(), Click.class);
        StreamingQuery q = Sessionization.sessions(fromFiles, GAP, DELAY).writeStream()
            .outputMode(OutputMode.APPEND)
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.availableNow())
            .foreachBatch((batch, id) -> {
              for (Session s : batch.collectAsList()) {
                written.add(List.of(id, s));
              }
            })
            .start();
        q.awaitTermination();
        assertThat(q.exception()).isNull();
      }
      return written;
    }

    /** Writes a file of clicks as JSON lines, under a temporary name first (moved in whole). */
    private void writeFile(String name, Click... clicks) throws IOException {
      StringBuilder lines = new StringBuilder();
      for (Click c : clicks) {
        lines.append("{\"user\":\"").append(c.user()).append("\",\"page\":\"").append(c.page())
            .append("\",\"ts\":").append(c.ts()).append("}\n");
      }
      Path temp = input.resolve("." + name + ".tmp");
      Files.writeString(temp, lines, StandardCharsets.UTF_8);
      Files.move(temp, input.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private Session closed(String user, long start, long end, long clicks, String landingPage,
        String exitPage) {
      return new Session(user, Instant.ofEpochMilli(ms(start)), Instant.ofEpochMilli(ms(end)),
          clicks, (end - start) * 1000, landingPage, exitPage);
    }

    @Test
    void aSessionOpenAtARestartCarriesOnAndEachSessionIsWrittenOnce() throws Exception {
      // Batch 0: ann [0, 4], bob [3, 3]; batch 1 without data (watermark -1) closes nothing.
      writeFile("1.json", click("ann", "home", 0), click("ann", "search", 4),
          click("bob", "home", 3));
      assertThat(runAvailable()).isEmpty();
      // Restarted with both sessions open. Batch 2: ann [0, 12] from the checkpointed [0, 4];
      // watermark after: 35. Batch 3 without data closes ann (22) and bob (13).
      writeFile("2.json", click("ann", "cart", 12), click("cy", "home", 40));
      assertThat(runAvailable()).containsExactlyInAnyOrder(
          List.of(3L, closed("ann", 0, 12, 3, "home", "cart")),
          List.of(3L, closed("bob", 3, 3, 1, "home", "home")));
      // Restarted again: only cy's session (timeout 50) is left, closed by batch 5's watermark 95.
      writeFile("3.json", click("dan", "home", 100));
      assertThat(runAvailable()).containsExactly(
          List.of(5L, closed("cy", 40, 40, 1, "home", "home")));
    }
  }
}
