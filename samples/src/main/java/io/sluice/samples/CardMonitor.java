package io.sluice.samples;

import io.sluice.api.ListState;
import io.sluice.api.MapState;
import io.sluice.api.OutputMode;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.TTLConfig;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import io.sluice.api.ValueState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The {@link StatefulProcessor} of {@link FraudDetection}: watches one card's payments and
 * applies the rules to each new payment. Its three state variables each forget by their own TTL,
 * so that the processor never has to clean up:
 *
 * <ul>
 *   <li>{@code recent}, a list of the card's payments, each kept for the rules' window: what is
 *       left is exactly the rolling window;
 *   <li>{@code lastCountry}, the country of the card's latest payment, kept for the travel
 *       window after that payment;
 *   <li>{@code muted}, a map from a rule to when it last fired for the card, each entry kept for
 *       the mute time.
 * </ul>
 */
public final class CardMonitor extends StatefulProcessor<String, Payment, FraudAlert> {
  private final FraudRules rules;
  private ListState<Payment> recent;
  private ValueState<String> lastCountry;
  private MapState<String, Long> muted;

  /** A monitor applying {@code rules}; as any processor, one instance serves every card. */
  public CardMonitor(FraudRules rules) {
    this.rules = rules;
  }

  @Override
  public void init(OutputMode outputMode, TimeMode timeMode) {
    recent = getHandle().getListState("recent", Payment.class, new TTLConfig(rules.window()));
    lastCountry = getHandle().getValueState("lastCountry", String.class,
        new TTLConfig(rules.travelWindow()));
    muted = getHandle().getMapState("muted", String.class, Long.class,
        new TTLConfig(rules.mute()));
  }

  @Override
  public Iterable<FraudAlert> handleInputRows(String card, Iterator<Payment> rows,
      TimerValues timerValues) {
    List<Payment> payments = new ArrayList<>();
    rows.forEachRemaining(payments::add);
    // In payment order, so that the travel rule compares each payment with the card's one
    // before; the sort is stable, so payments at the same time keep their order of arrival.
    payments.sort(Comparator.comparingLong(Payment::ts));
    List<Payment> window = new ArrayList<>();
    recent.get().forEachRemaining(window::add);
    String previousCountry = lastCountry.get();
    long now = timerValues.getCurrentProcessingTimeInMs();
    List<FraudAlert> alerts = new ArrayList<>();
    for (Payment payment : payments) {
      window.add(payment);
      alert(FraudDetection.VELOCITY, velocity(window), payment, now, alerts);
      alert(FraudDetection.AMOUNT, amount(window), payment, now, alerts);
      alert(FraudDetection.TRAVEL, travel(previousCountry, payment), payment, now, alerts);
      previousCountry = payment.country();
    }
    // Appended once per batch: every payment of the batch expires at the same time anyway.
    recent.appendList(payments);
    lastCountry.update(previousCountry);
    return alerts;
  }

  /** What the velocity rule saw, when the window holds too many payments; null otherwise. */
  private String velocity(List<Payment> window) {
    return window.size() <= rules.maxPayments() ? null
        : window.size() + " payments in " + human(rules.window());
  }

  /** What the amount rule saw, when the window's total is too large; null otherwise. */
  private String amount(List<Payment> window) {
    long total = window.stream().mapToLong(Payment::cents).sum();
    return total <= rules.maxCents() ? null
        : BigDecimal.valueOf(total, 2).toPlainString() + " in " + human(rules.window());
  }

  /** What the travel rule saw, when the card moved to another country; null otherwise. */
  private String travel(String previousCountry, Payment payment) {
    return previousCountry == null || previousCountry.equals(payment.country()) ? null
        : previousCountry + " then " + payment.country() + " within "
            + human(rules.travelWindow());
  }

  /** Adds the alert of a rule that fired, unless the rule is muted for the card; mutes it. */
  private void alert(String rule, String detail, Payment payment, long now,
      List<FraudAlert> alerts) {
    if (detail == null || muted.containsKey(rule)) {
      return;
    }
    muted.updateValue(rule, now);
    alerts.add(new FraudAlert(payment.card(), rule, Instant.ofEpochMilli(payment.ts()),
        detail));
  }

  /** A window as an analyst writes it: "10 min", "1 h", "30 s", "1500 ms". */
  static String human(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + " ms";
    }
    long seconds = d.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + " h";
    }
    return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
  }
}
