package io.sluice.samples;

import java.time.Duration;

/**
 * The limits of {@link FraudDetection}, each window in processing time (see there why).
 *
 * @param window how long a payment counts for the velocity and amount rules
 * @param maxPayments the most payments of a card allowed within {@code window}; one more is an
 *     alert
 * @param maxCents the largest total, in cents, allowed within {@code window}
 * @param travelWindow how long after a payment one in another country is an alert
 * @param mute how long a card gets no second alert of a rule that fired, so that an analyst sees
 *     one alert per burst rather than one per payment
 */
public record FraudRules(Duration window, int maxPayments, long maxCents, Duration travelWindow,
    Duration mute) {
  public FraudRules {
    for (Duration d : new Duration[] {window, travelWindow, mute}) {
      // A zero TTL would mean "kept forever" to the state, the opposite of a short window.
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("the windows of fraud rules are positive, not " + d);
      }
    }
    if (maxPayments < 1 || maxCents < 1) {
      throw new IllegalArgumentException("a card may make at least one payment of one cent: "
          + maxPayments + " payments, " + maxCents + " cents");
    }
  }
}
