package io.sluice.testkit;

import io.sluice.api.Clock;
import java.time.Duration;

/**
 * A clock that moves only when the test says so: processing-time triggers, the rate source and
 * timeouts then behave the same on every run.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(0);
 * Sluice engine = Sluice.builder().clock(clock).build();
 * clock.advance(Duration.ofSeconds(1)); // wakes a query waiting for its next trigger
 * }</pre>
 */
public final class ManualClock implements Clock {
  private long now;

  public ManualClock(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public synchronized long millis() {
    return now;
  }

  @Override
  public synchronized void waitUntil(long targetMillis) throws InterruptedException {
    while (now < targetMillis) {
      wait();
    }
  }

  /** Moves time forward and wakes everything waiting for it. */
  public synchronized void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + by);
    }
    now += by.toMillis();
    notifyAll();
  }

  /** Sets the time; it must not go back. */
  public synchronized void setMillis(long millis) {
    if (millis < now) {
      throw new IllegalArgumentException("a clock does not go back: " + millis + " < " + now);
    }
    now = millis;
    notifyAll();
  }
}
