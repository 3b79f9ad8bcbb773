package io.sluice.samples;

import static io.sluice.samples.FraudDetection.AMOUNT;
import static io.sluice.samples.FraudDetection.TRAVEL;
import static io.sluice.samples.FraudDetection.VELOCITY;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dataset;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StreamingQuery;
import io.sluice.api.Trigger;
import io.sluice.testkit.ManualClock;
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
 * The fraud sample batch by batch, under rules of at most 3 payments and 1000.00 in a window of
 * 10 min, a travel window of 1 h and a mute of 5 min. Time is the processing time of a manual
 * clock, in minutes after {@link #T0}; a payment is stamped with the time it arrives, and a value
 * written at minute m under a TTL of d is gone from minute m + d on. Expected alerts are worked
 * out by hand in the comments.
 *
 * <p>State rows, as the operator counts them: per card, one for its list of recent payments, one
 * for its last country, one for its map of muted rules; numRowsRemoved counts each payment,
 * country and mute that expired.
 */
class FraudDetectionTest {
  private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
  private static final FraudRules RULES = new FraudRules(Duration.ofMinutes(10), 3, 1_000_00,
      Duration.ofHours(1), Duration.ofMinutes(5));

  private final ManualClock clock = new ManualClock(T0.toEpochMilli());
  private final Sluice engine = Sluice.builder().statePartitions(2).clock(clock).build();
  private final MemoryStream<Payment> payments = engine.memoryStream(Payment.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static long ms(long minutes) {
    return T0.toEpochMilli() + minutes * 60_000;
  }

  /** Moves the clock to {@code minutes} after {@link #T0}. */
  private void at(long minutes) {
    clock.setMillis(ms(minutes));
  }

  /** A payment of whole {@code euros} arriving now. */
  private Payment pay(String card, long euros, String country) {
    return payCents(card, euros * 100, country);
  }

  private Payment payCents(String card, long cents, String country) {
    return new Payment(card, cents, country, clock.millis());
  }

  /** An alert as a row of the sink: the time of the payment that raised it in epoch ms. */
  private static List<Object> alert(String card, String rule, long minute, String detail) {
    return List.of(card, rule, ms(minute), detail);
  }

  private QueryTester tester() {
    return QueryTester.of(FraudDetection.alerts(payments.toDataset(), RULES).writeStream()
        .outputMode(OutputMode.APPEND));
  }

  /** Runs one batch, which must run, and checks the alerts it wrote. */
  private static void batch(QueryTester t, List<?>... alerts) {
    long before = t.nextBatchId();
    t.expectBatch(alerts);
    assertThat(t.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
  }

  private static StateOperatorProgress state(QueryTester t) {
    return t.lastProgress().stateOperators().get(0);
  }

  @Nested
  class EachRule {
    @Test
    void aFourthPaymentInTheWindowIsAVelocityAlert() {
      try (QueryTester t = tester()) {
        payments.addData(pay("c1", 10, "DE"), pay("c1", 10, "DE"), pay("c1", 10, "DE"),
            pay("c2", 10, "DE"));
        batch(t); // three is the most allowed
        at(4);
        payments.addData(pay("c1", 10, "DE"), pay("c2", 10, "DE"));
        batch(t, alert("c1", VELOCITY, 4, "4 payments in 10 min"));
      }
    }

    @Test
    void aTotalAboveTheLimitInTheWindowIsAnAmountAlert() {
      try (QueryTester t = tester()) {
        payments.addData(pay("c1", 600, "DE"));
        batch(t);
        at(3);
        payments.addData(pay("c1", 400, "DE"));
        batch(t); // 1000.00 is the most allowed
        at(6);
        payments.addData(payCents("c1", 1, "DE"));
        batch(t, alert("c1", AMOUNT, 6, "1000.01 in 10 min"));
      }
    }

    @Test
    void aPaymentInAnotherCountryWithinTheTravelWindowIsATravelAlert() {
      try (QueryTester t = tester()) {
        payments.addData(pay("c1", 10, "DE"));
        batch(t);
        at(30);
        payments.addData(pay("c1", 10, "DE"));
        batch(t); // the same country
        at(89);
        payments.addData(pay("c1", 10, "FR"));
        batch(t, alert("c1", TRAVEL, 89, "DE then FR within 1 h")); // 59 min after DE at 30
        at(149);
        payments.addData(pay("c1", 10, "DE"));
        batch(t); // 60 min after FR at 89: the card's last country has expired
      }
    }

    @Test
    void oneBatchCanBreakEveryRuleAndEachRuleAlertsOnce() {
      try (QueryTester t = tester()) {
        // In order: 400 and 800 are allowed; the third payment makes 1200.00 and moves the card
        // from DE to FR; the fourth is one too many. Once fired, a rule is muted: the fifth
        // payment breaks velocity and amount again without an alert.
        payments.addData(pay("c1", 400, "DE"), pay("c1", 400, "DE"), pay("c1", 400, "FR"),
            pay("c1", 10, "FR"), pay("c1", 10, "FR"));
        batch(t, alert("c1", AMOUNT, 0, "1200.00 in 10 min"),
            alert("c1", TRAVEL, 0, "DE then FR within 1 h"),
            alert("c1", VELOCITY, 0, "4 payments in 10 min"));
      }
    }

    @Test
    void aRuleThatFiredIsMutedForTheCardUntilTheMuteExpires() {
      try (QueryTester t = tester()) {
        payments.addData(pay("c1", 10, "DE"), pay("c1", 10, "DE"), pay("c1", 10, "DE"),
            pay("c1", 10, "DE"));
        batch(t, alert("c1", VELOCITY, 0, "4 payments in 10 min")); // muted until 5
        at(2);
        // c1's fifth payment is muted; the mute is c1's only, so c2's fourth is an alert.
        payments.addData(pay("c1", 10, "DE"), pay("c2", 10, "NL"), pay("c2", 10, "NL"),
            pay("c2", 10, "NL"), pay("c2", 10, "NL"));
        batch(t, alert("c2", VELOCITY, 2, "4 payments in 10 min"));
        at(5);
        payments.addData(pay("c1", 10, "DE"));
        batch(t, alert("c1", VELOCITY, 5, "6 payments in 10 min"));
        assertThat(state(t).numRowsRemoved()).as("c1's mute of velocity").isEqualTo(1);
      }
    }
  }

  @Nested
  class TimeToLive {
    @Test
    void aPaymentCountsForTheWindowAndIsThenForgottenAndRemoved() {
      try (QueryTester t = tester()) {
        // c1 and c2 pay alike: two payments at 0 and one at 5, each kept until 10 and 15.
        payments.addData(pay("c1", 10, "DE"), pay("c1", 10, "DE"), pay("c2", 10, "DE"),
            pay("c2", 10, "DE"), pay("c3", 10, "NL"));
        batch(t);
        assertThat(state(t).numRowsTotal()).as("3 lists, 3 countries").isEqualTo(6);
        at(5);
        payments.addData(pay("c1", 10, "DE"), pay("c2", 10, "DE"));
        batch(t);
        at(9);
        payments.addData(pay("c2", 10, "DE"));
        batch(t, alert("c2", VELOCITY, 9, "4 payments in 10 min"));
        assertThat(state(t).numRowsRemoved()).isZero();
        assertThat(state(t).numRowsTotal()).as("and c2's mutes").isEqualTo(7);
        at(10);
        // The same fourth payment a minute later: the two of 0 are gone, it makes three.
        payments.addData(pay("c1", 10, "DE"));
        batch(t);
        assertThat(state(t).numRowsRemoved()).as("the payments of 0: c1's, c2's, c3's")
            .isEqualTo(5);
        assertThat(state(t).numRowsTotal()).as("c3's list is empty, so gone").isEqualTo(6);
        at(12);
        payments.addData(pay("c1", 10, "DE"));
        batch(t); // 5, 10, 12
        at(13);
        payments.addData(pay("c1", 10, "DE"));
        batch(t, alert("c1", VELOCITY, 13, "4 payments in 10 min")); // 5, 10, 12, 13
      }
    }

    @Test
    void aCardThatStopsPayingLeavesNoStateBehind() {
      try (QueryTester t = tester()) {
        payments.addData(pay("c1", 10, "DE"));
        batch(t);
        at(30);
        payments.addData(pay("c2", 10, "NL"));
        batch(t);
        // c1's payment (kept until 10) is removed by the first batch after it expired; its
        // country is kept until 60.
        assertThat(state(t).numRowsRemoved()).isEqualTo(1);
        assertThat(state(t).numRowsTotal()).isEqualTo(3);
        at(60);
        payments.addData(pay("c2", 10, "NL"));
        batch(t);
        assertThat(state(t).numRowsRemoved()).as("c1's country, c2's payment of 30")
            .isEqualTo(2);
        assertThat(state(t).numRowsTotal()).as("c2's list and country").isEqualTo(2);
      }
    }
  }

  @Nested
  class FromACheckpoint {
    @TempDir
    Path input;
    @TempDir
    Path checkpoint;

    private StateOperatorProgress lastState;

    /**
     * Runs the query, in a new engine on the same clock, over what is in {@link #input}; the
     * alerts written, each with its batch.
     */
    private List<List<Object>> runAvailable() throws InterruptedException {
      List<List<Object>> written = new ArrayList<>();
      try (Sluice fresh = Sluice.builder().clock(clock).build()) {
        Dataset<Payment> fromFiles = fresh.readStream().json(input.toString(), Payment.class);
        StreamingQuery q = FraudDetection.alerts(fromFiles, RULES).writeStream()
            .outputMode(OutputMode.APPEND)
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.availableNow())
            .foreachBatch((batch, id) -> {
              for (FraudAlert a : batch.collectAsList()) {
                written.add(List.of(id, a));
              }
            })
            .start();
        q.awaitTermination();
        assertThat(q.exception()).isNull();
        lastState = q.lastProgress().stateOperators().get(0);
      }
      return written;
    }

    /** Writes a file of payments as JSON lines, under a temporary name first (moved in whole). */
    private void writeFile(String name, Payment... payments) throws IOException {
      StringBuilder lines = new StringBuilder();
      for (Payment p : payments) {
        lines.append("{\"card\":\"").append(p.card()).append("\",\"cents\":").append(p.cents())
            .append(",\"country\":\"").append(p.country()).append("\",\"ts\":").append(p.ts())
            .append("}\n");
      }
      Path temp = input.resolve("." + name + ".tmp");
      Files.writeString(temp, lines, StandardCharsets.UTF_8);
      Files.move(temp, input.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private FraudAlert raised(String rule, long minute, String detail) {
      return new FraudAlert("c1", rule, Instant.ofEpochMilli(ms(minute)), detail);
    }

    @Test
    void theRollingWindowAndItsTimesToLiveCarryOnAfterARestart() throws Exception {
      writeFile("1.json", pay("c1", 10, "DE"), pay("c1", 10, "DE"), pay("c1", 10, "DE"));
      assertThat(runAvailable()).isEmpty(); // batch 0: three payments, kept until 10
      assertThat(lastState.numRowsTotal()).as("c1's list and country").isEqualTo(2);
      // Restarted: the fourth payment in the window, with the three from the checkpoint.
      at(1);
      writeFile("2.json", pay("c1", 10, "DE"));
      assertThat(runAvailable()).containsExactly(
          List.of(1L, raised(VELOCITY, 1, "4 payments in 10 min")));
      // Restarted at 11: the four payments (kept until 10 and 11) and the mute of velocity
      // (until 6) expired while no query ran, and go now; DE (until 61) is still the card's
      // country.
      at(11);
      writeFile("3.json", pay("c1", 10, "FR"));
      assertThat(runAvailable()).containsExactly(
          List.of(2L, raised(TRAVEL, 11, "DE then FR within 1 h")));
      assertThat(lastState.numRowsRemoved()).isEqualTo(5);
      assertThat(lastState.numRowsTotal()).as("c1's list, country and mutes").isEqualTo(3);
    }
  }
}
