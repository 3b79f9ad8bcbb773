package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.ExpiredTimerInfo;
import io.sluice.api.ListState;
import io.sluice.api.OutputMode;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import io.sluice.api.ValueState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * NEXMark query 7, highest bid: in each 10-second tumbling window of event time, the bids with
 * the highest price (all of them, if several share it).
 *
 * <p>Beam computes the window's maximum price, then selects the bids at that price with the
 * maximum as a side input: an aggregation followed by a join with its own input, which Sluice
 * cannot chain. Here one {@code transformWithState} in event-time mode, keyed by the window's
 * start, keeps the highest price so far and the bids at it, and writes them when the watermark
 * reaches the window's end, through a timer; so the rows are Beam's, written once per window.
 * The watermark has no delay: no bid is older than one before it.
 */
public final class Query7 {
  /** Beam's {@code windowSizeSec}, in milliseconds. */
  public static final long WINDOW_MS = 10_000;

  private Query7() {}

  /** Columns {@code auction, bidder, price, dateTime, extra}: the winning bids themselves. */
  public static Dataset<Bid> over(NexmarkStreams events) {
    return events.bids().withWatermark("dateTime", "0 seconds")
        .groupByKey(b -> windowStart(b.dateTime()), Long.class)
        .transformWithState(new HighestBids(), TimeMode.EVENT_TIME, OutputMode.APPEND, Bid.class);
  }

  static long windowStart(long time) {
    return Math.floorDiv(time, WINDOW_MS) * WINDOW_MS;
  }

  /** The highest price a window has seen. */
  public record Highest(long price) {}

  /** Per window: the highest price and its bids, written when the window closes. */
  static final class HighestBids extends StatefulProcessor<Long, Bid, Bid> {
    private ValueState<Highest> highest;
    private ListState<Bid> bids;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      highest = getHandle().getValueState("highest", Highest.class);
      bids = getHandle().getListState("bids", Bid.class);
    }

    @Override
    public Iterable<Bid> handleInputRows(Long window, Iterator<Bid> rows, TimerValues times) {
      long before = highest.exists() ? highest.get().price() : -1;
      long price = before;
      List<Bid> top = new ArrayList<>();
      while (rows.hasNext()) {
        Bid b = rows.next();
        if (b.price() > price) {
          price = b.price();
          top.clear();
        }
        if (b.price() == price) {
          top.add(b);
        }
      }
      if (price > before) {
        bids.put(top);
        highest.update(new Highest(price));
      } else if (!top.isEmpty()) {
        bids.appendList(top);
      }
      getHandle().registerTimer(window + WINDOW_MS);
      return List.of();
    }

    @Override
    public Iterable<Bid> handleExpiredTimer(Long window, TimerValues times,
        ExpiredTimerInfo timer) {
      List<Bid> top = new ArrayList<>();
      bids.get().forEachRemaining(top::add);
      highest.clear();
      bids.clear();
      return top;
    }
  }
}
