package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.Row;

/**
 * NEXMark query 2, selection: the price of each bid on every 123rd auction ({@code auction %
 * 123 = 0}, Beam's {@code auctionSkip}), in place of the original query's five fixed auction ids.
 */
public final class Query2 {
  /** Beam's default {@code auctionSkip}. */
  public static final long AUCTION_SKIP = 123;

  private Query2() {}

  /** Columns {@code auction, price}. */
  public static Dataset<Row> over(NexmarkStreams events) {
    return events.bids().filter("auction % " + AUCTION_SKIP + " = 0").select("auction", "price");
  }
}
