package io.sluice.samples;

import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.TimeMode;
import io.sluice.api.Trigger;
import java.time.Duration;

/**
 * Fraud alerts on card payments, with {@code transformWithState} and state that forgets by TTL:
 * per card, a {@link CardMonitor} keeps a rolling window of the card's payments and the country
 * of its last one, and raises a {@link FraudAlert} when a new payment breaks a rule:
 *
 * <ul>
 *   <li>{@link #VELOCITY}: more than {@link FraudRules#maxPayments()} payments in the window, as
 *       when a stolen card number is tried out with many small payments;
 *   <li>{@link #AMOUNT}: more than {@link FraudRules#maxCents()} spent in the window;
 *   <li>{@link #TRAVEL}: a payment in another country than the card's payment before, within the
 *       travel window, which one card in one pocket cannot do.
 * </ul>
 *
 * <p>A rule that fired is muted for the card for {@link FraudRules#mute()}. Alerts are written
 * once, in append mode, with the batch of the payment that raised them.
 *
 * <p>The windows are in processing time, because a state TTL is, as in Spark: a payment counts
 * from the batch that read it until its TTL has passed, whatever its own timestamp. For payments
 * that reach the query within seconds that is the window one expects; a replay of old payments
 * is judged as if they all came now. A window's state is removed by the first batch after it
 * expired; with no batch running, it stays in the store, unseen by the rules.
 *
 * <pre>{@code
 * Dataset<FraudAlert> alerts = FraudDetection.alerts(payments, new FraudRules(
 *     Duration.ofMinutes(10), 5, 2_000_00, Duration.ofHours(1), Duration.ofMinutes(30)));
 * }</pre>
 *
 * <p>{@link #main} runs it over generated payments, on a time scale of seconds rather than
 * minutes, and prints the alerts, for a few seconds (first argument, default 10): one card is
 * tried out with small payments, one spends big, one moves between two countries, the others
 * behave:
 *
 * <pre>
 * mvn -q -B -pl samples -am -DskipTests package exec:exec -Dsample.main=io.sluice.samples.FraudDetection
 * </pre>
 */
public final class FraudDetection {
  /** The rule for too many payments in the window. */
  public static final String VELOCITY = "velocity";
  /** The rule for too much spent in the window. */
  public static final String AMOUNT = "amount";
  /** The rule for a payment in another country soon after the last one. */
  public static final String TRAVEL = "travel";

  /** The rules of {@link #main}: as a real setting, but in seconds, so that alerts come soon. */
  static final FraudRules DEMO_RULES = new FraudRules(Duration.ofSeconds(5), 4, 1_000_00,
      Duration.ofSeconds(10), Duration.ofSeconds(30));

  private static final int PAYMENTS_PER_SECOND = 9;
  private static final int HONEST_CARDS = 12;
  private static final String[] COUNTRIES = {"DE", "FR", "NL", "ES"};

  private FraudDetection() {}

  /** The alerts {@code rules} raise on {@code payments}, per card. */
  public static Dataset<FraudAlert> alerts(Dataset<Payment> payments, FraudRules rules) {
    // Processing-time mode though no timer is set: as in Spark, state TTLs need it.
    return payments.groupByKey(Payment::card, String.class)
        .transformWithState(new CardMonitor(rules), TimeMode.PROCESSING_TIME, OutputMode.APPEND,
            FraudAlert.class);
  }

  /**
   * Payment {@code i} of the generated stream, nine a second. Six of each second's nine go to the
   * twelve honest cards in turn, so each pays every two seconds, 5 to 80 in its home country:
   * at most three payments and 240.00 in the demo's window of five seconds, if batches keep up.
   * Two go to card-66, tried out with payments under 10.00: velocity. The last goes to card-77,
   * 700 to 900 a time, and to card-88, in DE and US by turns, in alternate seconds: amount and
   * travel.
   */
  static Payment generatedPayment(long i, long ts) {
    long second = i / PAYMENTS_PER_SECOND;
    int slot = (int) (i % PAYMENTS_PER_SECOND);
    long spread = Math.floorMod(Long.hashCode(i * 0x9E3779B97F4A7C15L), 1000);
    if (slot < 6) {
      int card = (int) ((second * 6 + slot) % HONEST_CARDS);
      return new Payment(String.format("card-%02d", card + 1), 5_00 + spread * 15 / 2,
          COUNTRIES[card % COUNTRIES.length], ts);
    }
    if (slot < 8) {
      return new Payment("card-66", 1_00 + spread * 9 / 10, "DE", ts);
    }
    if (second % 2 == 0) {
      return new Payment("card-77", 700_00 + spread * 20, "FR", ts);
    }
    return new Payment("card-88", 45_00, second % 4 == 1 ? "DE" : "US", ts);
  }

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
    try (Sluice engine = Sluice.create()) {
      Dataset<Payment> payments = engine.readStream().option("rowsPerSecond", PAYMENTS_PER_SECOND)
          .generate(Payment.class, FraudDetection::generatedPayment);
      StreamingQuery query = alerts(payments, DEMO_RULES).writeStream()
          .queryName("fraud-alerts")
          .outputMode(OutputMode.APPEND)
          .trigger(Trigger.processingTime("1 second"))
          .format("console")
          .option("truncate", false)
          .start();
      query.awaitTermination(seconds * 1000);
      query.stop();
      StreamingQueryProgress last = query.lastProgress();
      if (last != null) {
        System.out.printf("%s: %d batches, %d state rows (lists, values and maps of cards)%n",
            query.name(), last.batchId() + 1, last.stateOperators().get(0).numRowsTotal());
      }
    }
  }
}
