package io.sluice.samples;

import java.time.Instant;

/**
 * A suspicion {@link FraudDetection} raises about a card: the rule that fired ({@link
 * FraudDetection#VELOCITY}, {@link FraudDetection#AMOUNT} or {@link FraudDetection#TRAVEL}), the
 * time of the payment that made it fire, and what the rule saw, for the analyst who reads it.
 */
public record FraudAlert(String card, String rule, Instant at, String detail) {}
