package io.sluice.samples.nexmark;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.sessionWindow;

import io.sluice.api.Dataset;
import io.sluice.api.Row;

/**
 * NEXMark query 11, user sessions: the number of bids of each bidder per session, a session
 * ending once the bidder has not bid for 10 seconds of event time (Beam's {@code windowSizeSec}
 * as the gap).
 *
 * <p>A session window grouped with the bidder, counted, in append mode: each session is written
 * once, when the watermark passes its end (its last bid plus 10 s). The watermark has no delay,
 * as no bid is ever older than one before it. Beam's query also fires a session early every
 * 100,000 bids ({@code maxLogEvents}) and allows late bids for 1.5 s; with this generator no
 * session reaches 100,000 bids and no bid is late, so neither changes the answer, and neither is
 * expressed here. The rows also carry the session's start and end, which Beam's do not, so that
 * a test can tell sessions apart.
 */
public final class Query11 {
  /** The gap that ends a session. */
  public static final String GAP = "10 seconds";

  private Query11() {}

  /** Columns {@code bidder, bids, sessionStart, sessionEnd} (epoch milliseconds). */
  public static Dataset<Row> over(NexmarkStreams events) {
    return events.bids().withWatermark("dateTime", "0 seconds")
        .groupBy(col("bidder"), sessionWindow(col("dateTime"), GAP))
        .agg(count("*").as("bids"))
        .select(col("bidder"), col("bids"), col("session_window.start").as("sessionStart"),
            col("session_window.end").as("sessionEnd"));
  }
}
