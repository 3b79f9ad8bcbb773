package io.sluice.samples.nexmark;

import static io.sluice.api.Functions.avg;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.window;

import io.sluice.api.Dataset;
import io.sluice.api.ExpiredTimerInfo;
import io.sluice.api.ListState;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import io.sluice.api.ValueState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * NEXMark query 4, average price for a category: the average winning price of the auctions of
 * each category that closed in each sliding window of 10 seconds every 5 seconds, as Beam's.
 *
 * <p>The winning bid of an auction, as Beam's {@code WinningBids} picks it: among the bids on it
 * made before it expires, at or above its reserve, the highest, the earliest of equals; an
 * auction with none has no winner. Its time is the auction's expiry less 1 ms (the end of Beam's
 * merged window).
 *
 * <p>Beam joins auctions and bids in a merging window per auction, then averages per category in
 * a second, sliding window: a join chained into an aggregation per auction and then into
 * another. Sluice cannot chain those, so the winner is found by one {@code transformWithState}
 * in event-time mode over the union of both streams keyed by auction id: it keeps the auction,
 * the best bid so far and any bid that came before its auction, and writes the winner when the
 * watermark reaches the auction's expiry. The average per category and window is then an
 * ordinary windowed aggregation of the winners, which Sluice lets follow a state function, but
 * in update mode: records a function makes carry no event-time mark (as in Spark), and Sluice,
 * unlike Spark 4, refuses a second {@code withWatermark} after it, so no window of winners can
 * close. Each batch writes the averages it changed; the latest row per window and category is
 * the answer (Beam writes each window's average when it closes, marking the last pane). The
 * rows carry the window's start and the exact average (Beam rounds it to a whole cent).
 */
public final class Query4 {
  /** How long a bid on an auction not yet seen is kept: Beam's bound on an auction's length. */
  static final long PENDING_MS = 2 * 1_667;

  private Query4() {}

  /** An auction, or a bid on it, in one stream keyed by the auction's id. */
  public record AuctionOrBid(long auction, boolean isAuction, long time, long expires,
      long reserve, long category, long price) {}

  /** The winning bid of an auction, at the auction's expiry less 1 ms. */
  public record Winner(long auction, long category, long price, long time) {}

  /** The best bid so far: its price and time. */
  public record Best(long price, long time) {}

  /** Columns {@code windowStart, category, avgPrice}, for update mode. */
  public static Dataset<Row> over(NexmarkStreams events) {
    return winners(events)
        .groupBy(window(col("time"), "10 seconds", "5 seconds"), col("category"))
        .agg(avg("price").as("avgPrice"))
        .select(col("window.start").as("windowStart"), col("category"), col("avgPrice"));
  }

  /** The winning bid of each auction, when the watermark passes its expiry. */
  public static Dataset<Winner> winners(NexmarkStreams events) {
    Dataset<AuctionOrBid> auctions = events.auctions().map(a -> new AuctionOrBid(a.id(), true,
        a.dateTime(), a.expires(), a.reserve(), a.category(), 0), AuctionOrBid.class)
        .withWatermark("time", "0 seconds");
    Dataset<AuctionOrBid> bids = events.bids().map(b -> new AuctionOrBid(b.auction(), false,
        b.dateTime(), 0, 0, 0, b.price()), AuctionOrBid.class)
        .withWatermark("time", "0 seconds");
    return auctions.union(bids).as(AuctionOrBid.class)
        .groupByKey(AuctionOrBid::auction, Long.class)
        .transformWithState(new WinningBid(), TimeMode.EVENT_TIME, OutputMode.APPEND,
            Winner.class);
  }

  /** Per auction: the auction, its best valid bid, and bids that came before it. */
  static final class WinningBid extends StatefulProcessor<Long, AuctionOrBid, Winner> {
    private ValueState<AuctionOrBid> auction;
    private ValueState<Best> best;
    private ListState<AuctionOrBid> early;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      auction = getHandle().getValueState("auction", AuctionOrBid.class);
      best = getHandle().getValueState("best", Best.class);
      early = getHandle().getListState("early", AuctionOrBid.class);
    }

    @Override
    public Iterable<Winner> handleInputRows(Long id, Iterator<AuctionOrBid> rows,
        TimerValues times) {
      AuctionOrBid known = auction.exists() ? auction.get() : null;
      Best top = best.exists() ? best.get() : null;
      List<AuctionOrBid> waiting = new ArrayList<>();
      List<AuctionOrBid> bids = new ArrayList<>();
      while (rows.hasNext()) {
        AuctionOrBid row = rows.next();
        if (row.isAuction()) {
          known = row;
          auction.update(row);
          early.get().forEachRemaining(bids::add);
          early.clear();
          getHandle().listTimers().forEachRemaining(getHandle()::deleteTimer);
          getHandle().registerTimer(row.expires());
        } else {
          bids.add(row);
        }
      }
      for (AuctionOrBid bid : bids) {
        if (known == null) {
          waiting.add(bid);
        } else if (bid.time() < known.expires() && bid.price() >= known.reserve()
            && (top == null || bid.price() > top.price()
                || bid.price() == top.price() && bid.time() < top.time())) {
          top = new Best(bid.price(), bid.time());
        }
      }
      if (top != null) {
        best.update(top);
      }
      if (!waiting.isEmpty()) {
        early.appendList(waiting);
        // Bids on an auction that never comes are forgotten.
        getHandle().registerTimer(waiting.get(waiting.size() - 1).time() + PENDING_MS);
      }
      return List.of();
    }

    @Override
    public Iterable<Winner> handleExpiredTimer(Long id, TimerValues times,
        ExpiredTimerInfo timer) {
      List<Winner> out = new ArrayList<>();
      if (auction.exists() && best.exists()) {
        AuctionOrBid a = auction.get();
        out.add(new Winner(id, a.category(), best.get().price(), a.expires() - 1));
      }
      auction.clear();
      best.clear();
      early.clear();
      return out;
    }
  }
}
