package io.sluice.api;

/**
 * Processing time as the engine sees it: for triggers, the rate source and timeouts.
 *
 * <p>The engine uses the system clock unless given another; tests give a {@code ManualClock} from
 * {@code io.sluice.testkit} so that processing time moves only when the test says so.
 */
public interface Clock {
  /** Milliseconds since the epoch. */
  long millis();

  /** Blocks until {@link #millis()} reaches {@code targetMillis} or the thread is interrupted. */
  void waitUntil(long targetMillis) throws InterruptedException;

  /** The system's wall clock. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
