package io.sluice.samples;

import java.time.Instant;

/**
 * A user's finished session, written once when it is over: first and last click, how many
 * clicks, the time between the first and the last (zero for a single click), and the pages the
 * user landed on and left from.
 */
public record Session(String user, Instant start, Instant end, long clicks, long durationMs,
    String landingPage, String exitPage) {}
