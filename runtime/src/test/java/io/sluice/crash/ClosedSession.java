package io.sluice.crash;

/**
 * The timers kind's output: a session of a key that its event-time timeout closed, one JSON line
 * of the file sink ({@code firstTime} and {@code lastTime} in epoch milliseconds).
 */
public record ClosedSession(String key, long firstTime, long lastTime, long count, long sum) {}
