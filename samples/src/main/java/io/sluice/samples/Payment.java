package io.sluice.samples;

import io.sluice.annotations.Event;
import io.sluice.annotations.EventTime;

/**
 * A card payment as the acquirer reports it: which card, how much in cents (whole cents, so that
 * the sums the fraud rules take are exact), the country of the merchant and when (epoch
 * milliseconds).
 */
@Event
public record Payment(String card, long cents, String country, @EventTime long ts) {}
