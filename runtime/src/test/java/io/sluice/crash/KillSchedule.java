package io.sluice.crash;

import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Picks, from a seeded random sequence, when to kill each child: mostly at a random moment while
 * its query runs batches, one time in five during start-up, while it opens and recovers its
 * checkpoint, and one time in five just after it has caught up with its backlog, when it runs the
 * batches without data that only move the watermark and idles between files.
 *
 * <p>The moment while batches run counts from the child's ready line, or, for a kind whose first
 * batch connects to a broker first ({@link CrashKind#connectsInFirstBatch}), from its first
 * commit: a second or more after ready, so that a kill counted from ready would nearly always
 * fall before any batch.
 */
final class KillSchedule {
  private static final int DURING_STARTUP_ONE_IN = 5;
  private static final int AFTER_CATCHING_UP_ONE_IN = 4;
  /** Long enough for several 50 ms triggers, short enough for twenty kills in a test. */
  private static final long MAX_RUNNING_MILLIS = 600;
  /**
   * One file's time: a caught-up child runs a batch with the new file, then (for event time) a
   * batch without data of a few milliseconds, then idles until the next file.
   */
  private static final long MAX_CAUGHT_UP_MILLIS = 50;
  /** A child that has not caught up this long after it started its query is killed anyway. */
  private static final long CATCH_UP_BOUND_NANOS = TimeUnit.SECONDS.toNanos(3);
  /** A child that has not committed a batch this long after it started is killed anyway. */
  private static final long FIRST_COMMIT_BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Random random;
  private final From running;

  /** A schedule for {@code kind}, whose kills come from {@code random}. */
  KillSchedule(Random random, CrashKind kind) {
    this.random = random;
    this.running = kind.connectsInFirstBatch() ? From.FIRST_COMMIT : From.READY;
  }

  /** The next kill; {@code startupNanos} is how long the last child took to become ready. */
  Kill next(long startupNanos) {
    if (random.nextInt(DURING_STARTUP_ONE_IN) == 0) {
      return new Kill(From.LAUNCH, (long) (random.nextDouble() * startupNanos));
    }
    // Of the other four in five, one in four: one in five of all kills.
    if (random.nextInt(AFTER_CATCHING_UP_ONE_IN) == 0) {
      return new Kill(From.CAUGHT_UP, millis(MAX_CAUGHT_UP_MILLIS));
    }
    return new Kill(running, millis(MAX_RUNNING_MILLIS));
  }

  private long millis(long max) {
    return TimeUnit.MILLISECONDS.toNanos(random.nextInt((int) max));
  }

  /** What a kill's delay counts from. */
  enum From {
    /** The child's launch. */
    LAUNCH,
    /** The child's ready line: its query has started. */
    READY,
    /** The child's first-commit line: its query's first batch has committed. */
    FIRST_COMMIT,
    /** The child's caught-up line: a batch read less than its share of files. */
    CAUGHT_UP
  }

  /** A kill {@code delayNanos} after the child's launch, ready line or caught-up line. */
  record Kill(From from, long delayNanos) {

    /** When to kill {@code child}, on the {@link System#nanoTime} clock; empty until known. */
    OptionalLong at(ChildProcess child) {
      OptionalLong ready = child.readyNanos();
      return switch (from) {
        case LAUNCH -> OptionalLong.of(child.launchedNanos() + delayNanos);
        case READY -> ready.isPresent() ? OptionalLong.of(ready.getAsLong() + delayNanos) : ready;
        case FIRST_COMMIT -> {
          OptionalLong committed = child.firstCommitNanos();
          if (committed.isPresent()) {
            yield OptionalLong.of(committed.getAsLong() + delayNanos);
          }
          // A child stuck in its first batch is killed there.
          yield ready.isPresent()
              ? OptionalLong.of(ready.getAsLong() + FIRST_COMMIT_BOUND_NANOS) : ready;
        }
        case CAUGHT_UP -> {
          OptionalLong caughtUp = child.caughtUpNanos();
          if (caughtUp.isPresent()) {
            yield OptionalLong.of(caughtUp.getAsLong() + delayNanos);
          }
          // On a machine too busy to catch up, the kill falls while the child still catches up.
          yield ready.isPresent() ? OptionalLong.of(ready.getAsLong() + CATCH_UP_BOUND_NANOS)
              : ready;
        }
      };
    }
  }
}
