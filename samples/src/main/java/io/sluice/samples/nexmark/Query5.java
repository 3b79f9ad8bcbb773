package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.ExpiredTimerInfo;
import io.sluice.api.MapState;
import io.sluice.api.OutputMode;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.TimeMode;
import io.sluice.api.TimerValues;
import java.util.ArrayList;
import java.util.HashMap;
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
 * event-time mode, keyed by the window's start, counts bids per auction in a map state (a
 * batch's bids are counted in memory first, so the map is written once per auction and batch)
 * and, when the watermark reaches the window's end, writes the auctions with the highest count.
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
    private MapState<Long, Long> counts;

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
      counts = getHandle().getMapState("counts", Long.class, Long.class);
    }

    @Override
    public Iterable<HotItem> handleInputRows(Long window, Iterator<WindowedBid> rows,
        TimerValues times) {
      Map<Long, Long> batch = new HashMap<>();
      rows.forEachRemaining(b -> batch.merge(b.auction(), 1L, Long::sum));
      for (Map.Entry<Long, Long> e : batch.entrySet()) {
        Long before = counts.getValue(e.getKey());
        counts.updateValue(e.getKey(), before == null ? e.getValue() : before + e.getValue());
      }
      getHandle().registerTimer(window + WINDOW_MS);
      return List.of();
    }

    @Override
    public Iterable<HotItem> handleExpiredTimer(Long window, TimerValues times,
        ExpiredTimerInfo timer) {
      List<HotItem> top = new ArrayList<>();
      long most = 0;
      for (Iterator<Map.Entry<Long, Long>> it = counts.iterator(); it.hasNext(); ) {
        Map.Entry<Long, Long> e = it.next();
        if (e.getValue() > most) {
          most = e.getValue();
          top.clear();
        }
        if (e.getValue() == most) {
          top.add(new HotItem(window, e.getKey(), most));
        }
      }
      counts.clear();
      return top;
    }
  }
}
