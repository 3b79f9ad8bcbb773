package io.sluice.crash;

import java.util.List;

/**
 * The processor-timers kind's output: a key's session that its event-time timer closed, one JSON
 * line of the file sink. {@code timer} is the time the timer that fired was registered for, so
 * that a timer firing twice, or a stale timer firing, shows as an unexpected row ({@code timer},
 * {@code firstTime} and {@code lastTime} in epoch milliseconds).
 */
public record TimedSession(String key, long timer, long firstTime, long lastTime, long count,
    long sum) {

  /**
   * The session of {@code payments} closed by the timer at {@code timer}; with no payments (state
   * lost), a session of none, first and last time -1, which no expected row matches.
   */
  static TimedSession of(String key, long timer, List<Payment> payments) {
    long first = payments.stream().mapToLong(Payment::time).min().orElse(-1);
    long last = payments.stream().mapToLong(Payment::time).max().orElse(-1);
    long sum = payments.stream().mapToLong(Payment::amount).sum();
    return new TimedSession(key, timer, first, last, payments.size(), sum);
  }
}
