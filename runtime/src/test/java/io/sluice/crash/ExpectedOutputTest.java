package io.sluice.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash harness's expected output for the event-time kinds, worked out by hand. */
class ExpectedOutputTest {
  private static final long T0 = InputWriter.START_MILLIS;

  private static Payment paid(String key, long amount, long id, long seconds) {
    return new Payment(key, amount, id, T0 + seconds * 1000);
  }

  @Test
  void windowsAreThoseTheLatestEventTimeLessTheDelayHasPassed() {
    // The latest event is at 25 s: the final watermark is 20 s, so [10 s, 20 s) is closed, just,
    // and [20 s, 30 s) is open.
    List<Payment> payments = List.of(paid("a", 1, 1, 1), paid("a", 2, 2, 9), paid("b", 4, 3, 9),
        paid("a", 8, 4, 10), paid("a", 8, 4, 10), paid("a", 16, 5, 25));
    assertThat(ExpectedOutput.windows(payments)).isEqualTo(Map.of(
        List.of(T0, T0 + 10_000, "a", 2L, 3L), 1L,
        List.of(T0, T0 + 10_000, "b", 1L, 4L), 1L,
        List.of(T0 + 10_000, T0 + 20_000, "a", 2L, 16L), 1L));
  }

  @Test
  void aDeduplicationKeepsEachDistinctPaymentOnce() {
    Payment p = paid("a", 5, 1, 1);
    Payment q = paid("a", 5, 2, 1);
    assertThat(ExpectedOutput.distinct(List.of(p, q, p, p))).isEqualTo(Map.of(
        List.of(1L, p.time(), "a", 5L), 1L, List.of(2L, q.time(), "a", 5L), 1L));
  }

  @Test
  void sessionsAreSplitByTheGapAndThoseTheFinalWatermarkTimedOutAreEmitted() {
    // The latest event is at 60 s: the final watermark is 55 s. a's first session (1 s to 12 s,
    // gaps of 10 s at most) times out at 22 s; its second (40 s) at 50 s, before 55 s; b's
    // session (45 s) at 55 s, not before the watermark, so it is still open; c's at 70 s.
    List<Payment> payments = List.of(paid("a", 1, 1, 12), paid("a", 2, 2, 1),
        paid("a", 4, 3, 2), paid("a", 4, 3, 2), paid("b", 8, 4, 45), paid("a", 16, 5, 40),
        paid("c", 32, 6, 60));
    assertThat(ExpectedOutput.sessions(payments)).isEqualTo(Map.of(
        List.of("a", T0 + 1_000, T0 + 12_000, 4L, 11L), 1L,
        List.of("a", T0 + 40_000, T0 + 40_000, 1L, 16L), 1L));
  }

  @Test
  void processorTimersFireWhenTheFinalWatermarkReachesThemAndNameTheirTime() {
    // The latest event is at 60 s: the final watermark is 55 s. a's first session (1 s to 12 s)
    // has its timer at 22 s; its second (40 s) at 50 s; b's (45 s) at 55 s, reached just, unlike
    // a timeout; c's at 70 s is not reached.
    List<Payment> payments = List.of(paid("a", 1, 1, 12), paid("a", 2, 2, 1),
        paid("a", 4, 3, 2), paid("a", 4, 3, 2), paid("b", 8, 4, 45), paid("a", 16, 5, 40),
        paid("c", 32, 6, 60));
    assertThat(ExpectedOutput.timedSessions(payments)).isEqualTo(Map.of(
        List.of("a", T0 + 22_000, T0 + 1_000, T0 + 12_000, 4L, 11L), 1L,
        List.of("a", T0 + 50_000, T0 + 40_000, T0 + 40_000, 1L, 16L), 1L,
        List.of("b", T0 + 55_000, T0 + 45_000, T0 + 45_000, 1L, 8L), 1L));
  }

  private static AdEvent ad(String key, long id, long millis) {
    return new AdEvent(key, id, Instant.ofEpochMilli(T0 + millis));
  }

  @Test
  void aJoinPairsClicksFromTheImpressionToTenSecondsLaterAndPadsImpressionsTheWatermarkLetGo() {
    // The latest impression is at 40 s, the latest click at 30 s: the final watermark is 25 s.
    AdEvent a = ad("a", 1, 1_000);
    AdEvent b = ad("b", 2, 14_999);
    AdEvent c = ad("c", 3, 15_000);
    AdEvent d = ad("a", 4, 40_000);
    AdEvent early = ad("a", 11, 999); // before a
    AdEvent atOnce = ad("a", 12, 1_000);
    AdEvent last = ad("a", 13, 11_000); // a's time plus ten seconds, just
    AdEvent tooLate = ad("a", 14, 11_001);
    AdEvent beforeB = ad("b", 15, 14_998);
    AdEvent latest = ad("z", 16, 30_000);
    // b never matched, and its time plus ten seconds, 24.999 s, is before 25 s: it went. c's
    // (25 s) and d's (50 s) are not: they are still kept.
    assertThat(ExpectedOutput.joined(List.of(a, b, c, d),
        List.of(early, atOnce, last, tooLate, beforeB, latest))).isEqualTo(Map.of(
            ExpectedOutput.joinedRow(a, atOnce), 1L, ExpectedOutput.joinedRow(a, last), 1L,
            ExpectedOutput.joinedRow(b, null), 1L));
    assertThat(ExpectedOutput.joinedRow(b, null))
        .containsExactly("b", 2L, T0 + 14_999, null, null);
  }

  @Test
  void theLastFilesOfTheJoinLetEveryImpressionGo(@TempDir Path input) throws IOException {
    JoinInputWriter writer = new JoinInputWriter(Files.createDirectory(input.resolve("left")),
        Files.createDirectory(input.resolve("right")), new Random(7));
    for (int i = 0; i < 100; i++) {
      writer.writeFile();
    }
    writer.writeLastFile();
    Map<List<Object>, Long> rows = ExpectedOutput.joined(writer.impressions(), writer.clicks());
    // Each impression is in the output, matched or with nulls; some are each.
    assertThat(rows.keySet().stream().map(row -> row.get(1)).distinct().count())
        .isEqualTo(writer.impressions().size());
    assertThat(rows.keySet()).anyMatch(row -> row.get(3) == null)
        .anyMatch(row -> row.get(3) != null);
  }

  @Test
  void theLastFileOfProcessorTimersBringsEveryOtherKeysTimerDue(@TempDir Path input) {
    InputWriter writer = new InputWriter(input, new Random(7), CrashKind.PROCESSOR_TIMERS);
    for (int i = 0; i < 100; i++) {
      writer.writeFile();
    }
    writer.writeLastFile();
    List<Payment> written = writer.written();
    assertThat(written.get(written.size() - 1).key()).isEqualTo(InputWriter.FLUSH_KEY);
    // Every payment but the flush one is in a session whose timer fires.
    long inFiredSessions = ExpectedOutput.timedSessions(written).entrySet().stream()
        .mapToLong(e -> (Long) e.getKey().get(4) * e.getValue()).sum();
    assertThat(inFiredSessions).isEqualTo(written.size() - 1);
  }
}
