package io.sluice.samples;

import io.sluice.annotations.Event;
import io.sluice.annotations.EventTime;

/** A page view on a web shop: who, which page, when (epoch milliseconds). */
@Event
public record Click(String user, String page, @EventTime long ts) {}
