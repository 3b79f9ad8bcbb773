package io.sluice.crash;

import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Picks, from a seeded random sequence, when to kill each child: mostly at a random moment while
 * its query runs batches, and one time in five during start-up, while it opens and recovers its
 * checkpoint.
 */
final class KillSchedule {
  private static final int DURING_STARTUP_ONE_IN = 5;
  /** Long enough for several 50 ms triggers, short enough for twenty kills in a test. */
  private static final long MAX_RUNNING_MILLIS = 600;

  private final Random random;

  KillSchedule(Random random) {
    this.random = random;
  }

  /** The next kill; {@code startupNanos} is how long the last child took to become ready. */
  Kill next(long startupNanos) {
    if (random.nextInt(DURING_STARTUP_ONE_IN) == 0) {
      return new Kill(true, (long) (random.nextDouble() * startupNanos));
    }
    return new Kill(false, TimeUnit.MILLISECONDS.toNanos(random.nextInt((int) MAX_RUNNING_MILLIS)));
  }

  /** A kill {@code delayNanos} after the child's launch, or after it reported ready. */
  record Kill(boolean duringStartup, long delayNanos) {

    /** When to kill {@code child}, on the {@link System#nanoTime} clock; empty until known. */
    OptionalLong at(ChildProcess child) {
      if (duringStartup) {
        return OptionalLong.of(child.launchedNanos() + delayNanos);
      }
      OptionalLong ready = child.readyNanos();
      return ready.isPresent() ? OptionalLong.of(ready.getAsLong() + delayNanos) : ready;
    }
  }
}
