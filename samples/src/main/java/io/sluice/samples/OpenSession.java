package io.sluice.samples;

/**
 * A user's session so far, the state {@link Sessionization} keeps per user: its first and last
 * click (epoch milliseconds), how many clicks, and the pages of the first and of the last click.
 */
public record OpenSession(long start, long end, long clicks, String landingPage,
    String exitPage) {
  /** A session of one click. */
  static OpenSession of(Click click) {
    return new OpenSession(click.ts(), click.ts(), 1, click.page(), click.page());
  }

  /**
   * This session with one more click. Clicks may come out of order, so the click may be the new
   * first one as well as the new last one; of clicks at the same time, the one added first is the
   * landing page and the one added last the exit page.
   */
  OpenSession with(Click click) {
    boolean first = click.ts() < start;
    boolean last = click.ts() >= end;
    return new OpenSession(first ? click.ts() : start, last ? click.ts() : end, clicks + 1,
        first ? click.page() : landingPage, last ? click.page() : exitPage);
  }

  /** The session as {@link Sessionization} writes it once it is over. */
  Session close(String user) {
    return new Session(user, java.time.Instant.ofEpochMilli(start),
        java.time.Instant.ofEpochMilli(end), clicks, end - start, landingPage, exitPage);
  }
}
