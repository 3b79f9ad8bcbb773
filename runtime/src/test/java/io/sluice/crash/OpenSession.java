package io.sluice.crash;

/**
 * The timers kind's state per key: the session its key has open, with the event times of its
 * first and last payment, how many payments and their sum. Public, as the state codec reads
 * records through public accessors.
 */
public record OpenSession(long firstTime, long lastTime, long count, long sum) {

  static OpenSession of(Payment p) {
    return new OpenSession(p.time(), p.time(), 1, p.amount());
  }

  OpenSession plus(Payment p) {
    return new OpenSession(Math.min(firstTime, p.time()), Math.max(lastTime, p.time()),
        count + 1, sum + p.amount());
  }

  ClosedSession close(String key) {
    return new ClosedSession(key, firstTime, lastTime, count, sum);
  }
}
