package io.sluice.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
