package io.sluice.differential;

import io.sluice.annotations.Event;
import io.sluice.annotations.EventTime;

/** A sensor reading: an epoch-millisecond event time, and {@code raw} text that casts parse. */
@Event
public record Reading(
    String device, @EventTime long ts, double value, Integer battery, Boolean ok, String raw) {}
