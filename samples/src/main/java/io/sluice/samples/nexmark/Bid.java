package io.sluice.samples.nexmark;

import io.sluice.annotations.Event;
import io.sluice.annotations.EventTime;

/**
 * A bid of {@code price} cents by person {@code bidder} on {@code auction}, with Beam's fields:
 * 46 in every 50 events. {@code dateTime} is the event time in epoch milliseconds; {@code extra}
 * is Beam's padding, left empty here (see {@link NexmarkGenerator}).
 */
@Event
public record Bid(long auction, long bidder, long price, @EventTime long dateTime, String extra) {}
