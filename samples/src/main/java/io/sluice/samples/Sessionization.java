package io.sluice.samples;

import io.sluice.api.Dataset;
import io.sluice.api.GroupState;
import io.sluice.api.GroupStateTimeout;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Per-user sessions of clicks, with {@code flatMapGroupsWithState} and an event-time timeout: a
 * user's clicks belong to one session until the user pauses for longer than the gap, and each
 * {@link Session} is written once, in append mode, when it is over.
 *
 * <p>The state of a user is the open session ({@link OpenSession}); its timeout is its last click
 * plus the gap, and fires once the watermark (the latest click minus the delay) passes it. A click
 * more than a gap after the open session ends it at once. Clicks behind the watermark are dropped
 * as late, so a session that was written does not change.
 *
 * <p>Keeping one open session per user is a simplification: a click that arrives more than a gap
 * before the open session's first click joins it instead of making a session of its own. With a
 * delay no longer than the gap, only a click in the batch right after that first click can be so
 * early, as a click is late by the previous batch's watermark.
 *
 * <p>{@link #main} runs it over a generated click stream and prints the sessions as they close,
 * for a few seconds (first argument, default 10):
 *
 * <pre>
 * mvn -q -B -pl samples -am -DskipTests package exec:exec -Dsample.main=io.sluice.samples.Sessionization
 * </pre>
 */
public final class Sessionization {
  private static final String[] PAGES = {"home", "search", "product", "cart", "checkout"};
  private static final int USERS = 6;
  private static final int CLICKS_PER_SECOND = 40;

  private Sessionization() {}

  /**
   * The sessions of {@code clicks}: a pause longer than {@code gap} ends one; the watermark trails
   * the latest click by {@code delay}.
   */
  public static Dataset<Session> sessions(Dataset<Click> clicks, Duration gap, Duration delay) {
    long gapMs = gap.toMillis();
    return clicks.withWatermark("ts", delay.toMillis() + " milliseconds")
        .groupByKey(Click::user, String.class)
        .flatMapGroupsWithState((String user, Iterator<Click> newClicks,
            GroupState<OpenSession> state) -> advance(user, newClicks, state, gapMs),
            OutputMode.APPEND, OpenSession.class, Session.class,
            GroupStateTimeout.EVENT_TIME_TIMEOUT);
  }

  /**
   * One call of the state function for {@code user}: ends the open session on its timeout, or adds
   * the new clicks to it; returns the sessions that ended.
   */
  static List<Session> advance(String user, Iterator<Click> newClicks,
      GroupState<OpenSession> state, long gapMs) {
    List<Session> ended = new ArrayList<>();
    if (state.hasTimedOut()) {
      ended.add(state.get().close(user));
      state.remove();
      return ended;
    }
    List<Click> clicks = new ArrayList<>();
    newClicks.forEachRemaining(clicks::add);
    // In event-time order, so that a pause between two new clicks is seen as one.
    clicks.sort(Comparator.comparingLong(Click::ts));
    OpenSession open = state.getOption().orElse(null);
    for (Click click : clicks) {
      if (open != null && click.ts() - open.end() > gapMs) {
        ended.add(open.close(user));
        open = null;
      }
      open = open == null ? OpenSession.of(click) : open.with(click);
    }
    if (open == null) {
      return ended;
    }
    long timeout = open.end() + gapMs;
    if (timeout < state.getCurrentWatermarkMs()) {
      // A click that the watermark passed only at the end of the last batch is not late yet, but
      // its session is over already: a timeout behind the watermark is refused, so end it now.
      ended.add(open.close(user));
      state.remove();
    } else {
      state.update(open);
      state.setTimeoutTimestamp(timeout);
    }
    return ended;
  }

  /**
   * Click {@code i} of the generated stream. Time runs in blocks of two seconds, and each user
   * sits out one block in three, so that sessions of about four seconds end by a pause of two.
   */
  static Click generatedClick(long i, long ts) {
    long block = i / (2L * CLICKS_PER_SECOND);
    // One of the four users who are active in this block, picked by a hash of i so that the
    // sessions of users with the same pattern of blocks still differ.
    long skip = Math.floorMod(Long.hashCode(i * 0x9E3779B97F4A7C15L), 4);
    int user = 0;
    for (int u = 0; u < USERS; u++) {
      if ((u + block) % 3 != 0 && skip-- == 0) {
        user = u;
        break;
      }
    }
    return new Click("user" + user, PAGES[(int) (i / 7 % PAGES.length)], ts);
  }

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
    try (Sluice engine = Sluice.create()) {
      Dataset<Click> clicks = engine.readStream().option("rowsPerSecond", CLICKS_PER_SECOND)
          .generate(Click.class, Sessionization::generatedClick);
      StreamingQuery query = sessions(clicks, Duration.ofSeconds(1), Duration.ofMillis(500))
          .writeStream()
          .queryName("sessions")
          .outputMode(OutputMode.APPEND)
          .trigger(Trigger.processingTime("1 second"))
          .format("console")
          .option("truncate", false)
          .start();
      query.awaitTermination(seconds * 1000);
      query.stop();
      StreamingQueryProgress last = query.lastProgress();
      if (last != null) {
        System.out.printf("%s: %d batches, %d users with an open session%n", query.name(),
            last.batchId() + 1, last.stateOperators().get(0).numRowsTotal());
      }
    }
  }
}
