package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.ExpiredTimerInfo;
import io.sluice.api.ListState;
import io.sluice.api.OutputMode;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * NEXMark query 5, hot items: in each sliding window of 10 seconds every 5 seconds of event time
 * (Beam's {@code windowSizeSec} and {@code windowPeriodSec}), the auctions with the most bids,
 * and their number of bids.
 *
 * <p>Beam counts bids per auction and window, then keeps the top counts of each window with a
 * global combine: an aggregation chained into another, which Sluice cannot express. Here each
 * bid is sent to its two windows by {@code flatMap}, and one {@code transformWithState} in
 * event-time mode, keyed by the window's start, counts bids per auction and, when the watermark
 * reaches the window's end, writes the auctions with the highest count. The counts are a list
 * state read and written whole once per window and batch, not a map state: Sluice keeps a map
 * state as one entry per key and looks a user key up by a scan, so writing each auction's count
 * would cost the size of the map every time.
 * The rows carry the window's start, which Beam's do not, so that a test can tell windows apart.
 */
public final class Query5 {
  /** Beam's {@code windowSizeSec}, in milliseconds. */
  public static final long WINDOW_MS = 10_000;

  /** Beam's {@code windowPeriodSec}, in milliseconds. */
  public static final long SLIDE_MS = 5_000;

  private Query5() {}

  /** A bid's auction in one of the windows the bid falls in. */
  public record WindowedBid(long window, long auction, long dateTime) {}

  /** A hot auction of a window: Beam's {@code AuctionCount} and the window's start. */
  public record HotItem(long window, long auction, long bids) {}

  /** The bids on an auction so far in one window. */
  public record AuctionCount(long auction, long bids) {}

  /** Columns {@code window} (start, epoch milliseconds){@code , auction, bids}. */
  public static Dataset<HotItem> over(NexmarkStreams events) {
    return events.bids().withWatermark("dateTime", "0 seconds")
        .flatMap(Query5::windows, WindowedBid.class)
        .groupByKey(WindowedBid::window, Long.class)
        .transformWithState(new TopAuctions(), TimeMode.EVENT_TIME, OutputMode.APPEND,
            HotItem.class);
  }

  /** The bid in each window that holds it: those starting in the last 10 s, on 5-s marks. */
  static List<WindowedBid> windows(Bid b) {
    long last = Math.floorDiv(b.dateTime(), SLIDE_MS) * SLIDE_MS;
    return List.of(new WindowedBid(last - SLIDE_MS, b.auction(), b.dateTime()),
        new WindowedBid(last, b.auction(), b.dateTime()));
  }

  /** Per window: bids per auction, and the top auctions when the window closes. */
  static final class TopAuctions extends StatefulProcessor<Long, WindowedBid, HotItem> {
    private ListState<AuctionCount> counts;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      counts = getHandle().getListState("counts", AuctionCount.class);
    }

    @Override
    public Iterable<HotItem> handleInputRows(Long window, Iterator<WindowedBid> rows,
        TimerValues times) {
      Map<Long, Long> all = new LinkedHashMap<>();
      counts.get().forEachRemaining(c -> all.put(c.auction(), c.bids()));
      rows.forEachRemaining(b -> all.merge(b.auction(), 1L, Long::sum));
      List<AuctionCount> updated = new ArrayList<>(all.size());
      all.forEach((auction, bids) -> updated.add(new AuctionCount(auction, bids)));
      counts.put(updated);
      getHandle().registerTimer(window + WINDOW_MS);
      return List.of();
    }

    @Override
    public Iterable<HotItem> handleExpiredTimer(Long window, TimerValues times,
        ExpiredTimerInfo timer) {
      List<HotItem> top = new ArrayList<>();
      long most = 0;
      for (Iterator<AuctionCount> it = counts.get(); it.hasNext(); ) {
        AuctionCount c = it.next();
        if (c.bids() > most) {
          most = c.bids();
          top.clear();
        }
        if (c.bids() == most) {
          top.add(new HotItem(window, c.auction(), most));
        }
      }
      counts.clear();
      return top;
    }
  }
}
