package io.sluice.benchmarks;

import io.sluice.annotations.Event;

/**
 * A record of the latency benchmark: its sequence number, a key, and the {@code System.nanoTime}
 * at which the producer handed it to the source.
 */
@Event
public record Arrival(long seq, String key, long arrivalNanos) {}
