package io.sluice.samples.nexmark;

/**
 * The draws Beam's NEXMark generator makes for one event, from the 48-bit linear congruential
 * generator that {@link java.util.Random}'s Javadoc specifies, seeded as {@code new
 * Random(eventId)} is: the same seed gives the same numbers as {@code java.util.Random}, without
 * its atomic seed, so that a generator per event costs one short-lived object.
 */
final class EventRandom {
  private static final long MULTIPLIER = 0x5DEECE66DL;
  private static final long ADDEND = 0xBL;
  private static final long MASK = (1L << 48) - 1;

  private long seed;

  EventRandom(long seed) {
    this.seed = (seed ^ MULTIPLIER) & MASK;
  }

  private int next(int bits) {
    seed = (seed * MULTIPLIER + ADDEND) & MASK;
    return (int) (seed >>> (48 - bits));
  }

  int nextInt() {
    return next(32);
  }

  /** Uniform in {@code [0, bound)}, rejecting the draws that would bias it, as Random does. */
  int nextInt(int bound) {
    int r = next(31);
    int m = bound - 1;
    if ((bound & m) == 0) {
      return (int) ((bound * (long) r) >> 31);
    }
    for (int u = r; u - (r = u % bound) + m < 0; u = next(31)) {
      // a draw from the incomplete last block of the range: draw again
    }
    return r;
  }

  double nextDouble() {
    return (((long) next(26) << 27) + next(27)) * 0x1.0p-53;
  }

  /** Beam's {@code LongGenerator.nextLong}: an int draw for every bound the generator uses. */
  long nextLong(long bound) {
    if (bound < Integer.MAX_VALUE) {
      return nextInt((int) bound);
    }
    long r = ((long) next(32) << 32) + next(32);
    return Math.abs(r % bound);
  }

  /** Beam's price: 10^(6u) dollars-cents, from 1.00 to 1,000,000.00, log-uniform. */
  long nextPrice() {
    return Math.round(Math.pow(10.0, nextDouble() * 6.0) * 100.0);
  }

  /**
   * Beam's random text of 3 to {@code maxLength - 1} characters: lower-case letters and, one time
   * in 13, a space; trimmed, so it may come out shorter.
   */
  String nextString(int maxLength) {
    int length = 3 + nextInt(maxLength - 3);
    char[] text = new char[length];
    for (int i = 0; i < length; i++) {
      text[i] = nextInt(13) == 0 ? ' ' : (char) ('a' + nextInt(26));
    }
    return new String(text).trim();
  }
}
