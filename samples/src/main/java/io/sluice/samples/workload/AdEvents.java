package io.sluice.samples.workload;

/**
 * The event generator of the reference workloads W1 and W2 (WORKLOADS.md): event {@code i} is a
 * pure function of {@code i}, so that any engine, or a plain loop, sees the same events.
 *
 * <p>About 10,000 events fall in each second of event time, starting at {@link #START_MS}, out of
 * order by up to two seconds; a third of them are views, spread over 10,000 ads and 1,000,000
 * users.
 *
 * <pre>{@code
 * AdEvent first = AdEvents.event(0);
 * Dataset<AdEvent> events = engine.readStream().option("rowsPerSecond", 1_000_000)
 *     .generate(AdEvent.class, (i, ts) -> AdEvents.event(i));
 * }</pre>
 */
public final class AdEvents {
  /** Event time of event 0 before its disorder, in epoch milliseconds. */
  public static final long START_MS = 1_700_000_000_000L;

  /** Ads: {@code adId} runs from 0 to {@code ADS - 1}. */
  public static final int ADS = 10_000;

  /** Users: {@code userId} runs from 0 to {@code USERS - 1}. */
  public static final int USERS = 1_000_000;

  /** How far behind its place in the stream an event's time may be: up to 1,999 ms. */
  public static final int MAX_DISORDER_MS = 2_000;

  private AdEvents() {}

  /** Event {@code i} (from 0). */
  public static AdEvent event(long i) {
    return new AdEvent(userId(i), adId(i), eventType(i), eventTimeMs(i));
  }

  public static long adId(long i) {
    return Math.floorMod(mix(i), ADS);
  }

  public static long userId(long i) {
    return Math.floorMod(mix(i * 31 + 7), USERS);
  }

  /** {@link AdEvent#VIEW}, {@link AdEvent#CLICK} or {@link AdEvent#PURCHASE}. */
  public static int eventType(long i) {
    return Math.floorMod(mix(i * 17 + 3), 3);
  }

  /** Ten events a millisecond from {@link #START_MS}, each up to two seconds early. */
  public static long eventTimeMs(long i) {
    return START_MS + i / 10 - Math.floorMod(mix(i * 13 + 1), MAX_DISORDER_MS);
  }

  /**
   * SplitMix64's finalizer (Steele, Lea and Flood) over {@code x} plus the golden-ratio increment:
   * every bit of the input moves about half of the output's bits. Arithmetic wraps, as Java's does.
   */
  public static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
