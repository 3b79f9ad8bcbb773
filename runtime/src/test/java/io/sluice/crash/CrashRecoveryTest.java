package io.sluice.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query killed with SIGKILL at random moments, and restarted each time, while its input keeps
 * growing, ends with committed output that holds every input row exactly once: each row of a
 * stateless query, each payment in its key's totals, each closed event-time window, each distinct
 * payment of a deduplication, each session an event-time timeout closed, each session an
 * event-time timer of {@code transformWithState} closed, each pair of a stream-stream join and
 * each of its left rows that never matched, and each record that a query from one Kafka topic to
 * another kept, as a read_committed consumer reads it. Twenty kills per kind by default; {@code
 * -Dsluice.crash.kills=2000} runs more, and {@code -Dsluice.crash.seed} repeats a run's sequence
 * of kill delays and input.
 */
class CrashRecoveryTest {
  private static final int KILLS = Integer.getInteger("sluice.crash.kills", 20);
  private static final long SEED = Long.getLong("sluice.crash.seed", new Random().nextLong());

  @TempDir
  Path folder;

  private CrashReport crashRun(CrashKind kind) throws InterruptedException {
    System.out.println("crash " + kind.label() + " starting: kills=" + KILLS + " seed=" + SEED);
    CrashReport report = new CrashRun(kind, KILLS, SEED, folder).run();
    System.out.println(report.summary());
    System.out.println(report.recoverySummary());
    System.out.println(report.killPointSummary());
    return report;
  }

  private static void assertExactlyOnce(CrashReport report) {
    assertThat(report.kills()).as("kills").isEqualTo(KILLS);
    assertThat(report.restarts()).as("restarts").isGreaterThanOrEqualTo(KILLS);
    assertThat(report.rows()).as("rows").isPositive();
    assertThat(report.outputs()).as("outputs").isPositive();
    assertThat(report.discrepancy()).as("%s (seed %d)", report.summary(), SEED)
        .isEqualTo(new Discrepancy(0, 0));
  }

  @Test
  void aStatelessQueryKilledAtRandomLosesAndRepeatsNoRow() throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.STATELESS));
  }

  @Test
  void anUpdateModeAggregationKilledAtRandomEndsWithExactTotals() throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.UPDATE));
  }

  @Test
  void aCompleteModeAggregationKilledAtRandomEndsWithExactTotals() throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.COMPLETE));
  }

  @Test
  void aWindowedAppendAggregationKilledAtRandomEmitsEachClosedWindowOnce()
      throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.WINDOWED));
  }

  @Test
  void aDeduplicationKilledAtRandomPassesEachPaymentOnce() throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.DEDUP));
  }

  @Test
  void aSessionizationKilledAtRandomFiresEachSessionTimeoutOnce() throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.TIMERS));
  }

  @Test
  void aTransformWithStateKilledAtRandomFiresEachEventTimeTimerOnce()
      throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.PROCESSOR_TIMERS));
  }

  @Test
  void aStreamStreamLeftOuterJoinKilledAtRandomEmitsEachPairAndEachUnmatchedRowOnce()
      throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.JOIN));
  }

  @Test
  void aKafkaToKafkaQueryKilledAtRandomWritesEachRecordOnceForReadCommittedConsumers()
      throws InterruptedException {
    assertExactlyOnce(crashRun(CrashKind.KAFKA));
  }

  @Test
  void aChildThatFailsByItselfFailsTheRunAndShowsItsError() throws IOException {
    Path metadata = Files.createDirectories(folder.resolve("checkpoint")).resolve("metadata");
    Files.writeString(metadata, "not a checkpoint");
    assertThatThrownBy(() -> new CrashRun(CrashKind.STATELESS, 1, SEED, folder).run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("checkpoint file " + metadata + " is corrupt");
  }
}
