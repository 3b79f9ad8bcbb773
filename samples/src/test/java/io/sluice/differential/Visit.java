package io.sluice.differential;

import io.sluice.annotations.Event;
import java.time.Instant;

/** A visit to a page: an {@link Instant} time, an int duration and a nullable byte count. */
@Event
public record Visit(String user, String url, Instant at, int durationMs, Long bytes,
    boolean mobile) {}
