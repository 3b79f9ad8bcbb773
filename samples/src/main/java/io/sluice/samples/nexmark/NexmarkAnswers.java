package io.sluice.samples.nexmark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plain-Java answers of the NEXMark queries over events {@code 0} to {@code events - 1} of
 * {@link NexmarkGenerator}, worked out with no engine, with Beam's meaning of each query: what
 * the engine's run is checked against. Each is a list of rows, a row the values of its columns
 * in the query's order ({@code Long}, {@code String}, {@code Double}), in no particular order.
 *
 * <p>Queries over windows or sessions in append mode write only what the final watermark has
 * closed; the watermark is the latest event time seen (no delay), the lowest of the streams'
 * for a join.
 */
public final class NexmarkAnswers {
  private static final long WINDOW_MS = 10_000;

  private NexmarkAnswers() {}

  /** Every bid. */
  public static List<List<Object>> q0(long events) {
    List<List<Object>> rows = new ArrayList<>();
    for (long i = 0; NexmarkGenerator.bidEventNumber(i) < events; i++) {
      Bid b = NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(i));
      rows.add(List.of(b.auction(), b.bidder(), b.price(), b.dateTime(), b.extra()));
    }
    return rows;
  }

  /** Every bid, its price times 89 / 100 in whole cents. */
  public static List<List<Object>> q1(long events) {
    List<List<Object>> rows = new ArrayList<>();
    for (long i = 0; NexmarkGenerator.bidEventNumber(i) < events; i++) {
      Bid b = NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(i));
      rows.add(List.of(b.auction(), b.bidder(), b.price() * 89 / 100, b.dateTime(), b.extra()));
    }
    return rows;
  }

  /** The auction and price of the bids on every 123rd auction. */
  public static List<List<Object>> q2(long events) {
    List<List<Object>> rows = new ArrayList<>();
    for (long i = 0; NexmarkGenerator.bidEventNumber(i) < events; i++) {
      Bid b = NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(i));
      if (b.auction() % Query2.AUCTION_SKIP == 0) {
        rows.add(List.of(b.auction(), b.price()));
      }
    }
    return rows;
  }

  /**
   * Name, city, state of the seller and the auction's id, for each auction of category 10 whose
   * seller, among the first events, lives in OR, ID or CA: Beam's unbounded join.
   */
  public static List<List<Object>> q3(long events) {
    List<List<Object>> rows = new ArrayList<>();
    for (long i = 0; NexmarkGenerator.auctionEventNumber(i) < events; i++) {
      Auction a = NexmarkGenerator.auction(NexmarkGenerator.auctionEventNumber(i));
      Person p = a.category() == 10 ? personOrNull(a.seller(), events) : null;
      if (p != null && Set.of("OR", "ID", "CA").contains(p.state())) {
        rows.add(List.of(p.name(), p.city(), p.state(), a.id()));
      }
    }
    return rows;
  }

  /**
   * Window start, category and average winning price of the auctions that closed in each sliding
   * window (10 s every 5 s), as the result table of update mode: every window with a winner. An
   * auction closes, and its winner counts, at its expiry less 1 ms, once the watermark of both
   * streams has reached its expiry.
   */
  public static List<List<Object>> q4(long events) {
    Map<List<Long>, long[]> sums = new HashMap<>(); // (window start, category) -> {sum, count}
    for (Query4.Winner w : winners(events)) {
      long last = Math.floorDiv(w.time(), Query5.SLIDE_MS) * Query5.SLIDE_MS;
      for (long start : new long[] {last - Query5.SLIDE_MS, last}) {
        long[] s = sums.computeIfAbsent(List.of(start, w.category()), k -> new long[2]);
        s[0] += w.price();
        s[1]++;
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    sums.forEach((key, s) -> rows.add(List.of(key.get(0), key.get(1), (double) s[0] / s[1])));
    return rows;
  }

  /**
   * The winning bid of each auction among the first events whose expiry the watermark of both
   * streams (the latest auction's time, or bid's, whichever is earlier) has reached.
   */
  private static List<Query4.Winner> winners(long events) {
    Map<Long, Auction> auctions = new HashMap<>();
    Map<Long, Bid> best = new HashMap<>();
    List<Bid> bids = new ArrayList<>();
    long lastAuction = Long.MIN_VALUE;
    for (long n = 0; n < events; n++) {
      if (NexmarkGenerator.kind(n) == NexmarkGenerator.Kind.AUCTION) {
        Auction a = NexmarkGenerator.auction(n);
        auctions.put(a.id(), a);
        lastAuction = a.dateTime();
      } else if (NexmarkGenerator.kind(n) == NexmarkGenerator.Kind.BID) {
        bids.add(NexmarkGenerator.bid(n));
      }
    }
    for (Bid b : bids) {
      Auction a = auctions.get(b.auction());
      if (a != null && b.dateTime() < a.expires() && b.price() >= a.reserve()
          && beats(b, best.get(b.auction()))) {
        best.put(b.auction(), b);
      }
    }
    long closedBy = Math.min(lastAuction, bids.get(bids.size() - 1).dateTime());
    List<Query4.Winner> winners = new ArrayList<>();
    best.forEach((id, b) -> {
      Auction a = auctions.get(id);
      if (a.expires() <= closedBy) {
        winners.add(new Query4.Winner(id, a.category(), b.price(), a.expires() - 1));
      }
    });
    return winners;
  }

  /** Beam's order of valid bids: the higher price wins, then the earlier bid. */
  private static boolean beats(Bid bid, Bid best) {
    return best == null || bid.price() > best.price()
        || bid.price() == best.price() && bid.dateTime() < best.dateTime();
  }

  /**
   * Window start, auction and bids of the auctions with the most bids in each sliding window
   * (10 s every 5 s) that the final watermark closed.
   */
  public static List<List<Object>> q5(long events) {
    Map<Long, Map<Long, Long>> windows = new HashMap<>();
    long watermark = Long.MIN_VALUE;
    for (long i = 0; NexmarkGenerator.bidEventNumber(i) < events; i++) {
      Bid b = NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(i));
      watermark = b.dateTime();
      for (Query5.WindowedBid w : Query5.windows(b)) {
        windows.computeIfAbsent(w.window(), k -> new HashMap<>()).merge(b.auction(), 1L,
            Long::sum);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<Long, Map<Long, Long>> w : windows.entrySet()) {
      if (w.getKey() + Query5.WINDOW_MS <= watermark) {
        long most = w.getValue().values().stream().mapToLong(Long::longValue).max().orElse(0);
        w.getValue().forEach((auction, bids) -> {
          if (bids == most) {
            rows.add(List.of(w.getKey(), auction, bids));
          }
        });
      }
    }
    return rows;
  }

  /** The bids with the highest price of each 10-s window that the final watermark closed. */
  public static List<List<Object>> q7(long events) {
    Map<Long, List<Bid>> top = new HashMap<>();
    long watermark = Long.MIN_VALUE;
    for (long i = 0; NexmarkGenerator.bidEventNumber(i) < events; i++) {
      Bid b = NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(i));
      watermark = b.dateTime();
      List<Bid> bids = top.computeIfAbsent(windowStart(b.dateTime()), k -> new ArrayList<>());
      if (!bids.isEmpty() && b.price() > bids.get(0).price()) {
        bids.clear();
      }
      if (bids.isEmpty() || b.price() == bids.get(0).price()) {
        bids.add(b);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<Long, List<Bid>> w : top.entrySet()) {
      if (w.getKey() + WINDOW_MS <= watermark) {
        for (Bid b : w.getValue()) {
          rows.add(List.of(b.auction(), b.bidder(), b.price(), b.dateTime(), b.extra()));
        }
      }
    }
    return rows;
  }

  /**
   * Id, name and the auction's reserve for each auction whose seller joined, among the first
   * events, in the same 10-second window.
   */
  public static List<List<Object>> q8(long events) {
    List<List<Object>> rows = new ArrayList<>();
    for (long i = 0; NexmarkGenerator.auctionEventNumber(i) < events; i++) {
      Auction a = NexmarkGenerator.auction(NexmarkGenerator.auctionEventNumber(i));
      Person p = personOrNull(a.seller(), events);
      if (p != null && windowStart(p.dateTime()) == windowStart(a.dateTime())) {
        rows.add(List.of(p.id(), p.name(), a.reserve()));
      }
    }
    return rows;
  }

  /**
   * Bidder, number of bids, start and end of each session (bids of one bidder no more than 10 s
   * apart; it ends 10 s after its last bid) that ended by the final watermark.
   */
  public static List<List<Object>> q11(long events) {
    long gap = 10_000;
    Map<Long, long[]> open = new HashMap<>(); // bidder -> {start, last, count}
    List<List<Object>> rows = new ArrayList<>();
    long watermark = Long.MIN_VALUE;
    for (long i = 0; NexmarkGenerator.bidEventNumber(i) < events; i++) {
      Bid b = NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(i));
      watermark = b.dateTime();
      long[] s = open.get(b.bidder());
      if (s != null && b.dateTime() > s[1] + gap) {
        rows.add(List.of(b.bidder(), s[2], s[0], s[1] + gap));
        s = null;
      }
      if (s == null) {
        open.put(b.bidder(), new long[] {b.dateTime(), b.dateTime(), 1});
      } else {
        s[1] = b.dateTime();
        s[2]++;
      }
    }
    for (Map.Entry<Long, long[]> e : open.entrySet()) {
      long[] s = e.getValue();
      if (s[1] + gap <= watermark) {
        rows.add(List.of(e.getKey(), s[2], s[0], s[1] + gap));
      }
    }
    return rows;
  }

  /** The person with id {@code id} if it is among the first {@code events}; else null. */
  private static Person personOrNull(long id, long events) {
    long n = NexmarkGenerator.personEventNumber(id - NexmarkGenerator.FIRST_PERSON_ID);
    return n < events ? NexmarkGenerator.person(n) : null;
  }

  static long windowStart(long time) {
    return Math.floorDiv(time, WINDOW_MS) * WINDOW_MS;
  }
}
