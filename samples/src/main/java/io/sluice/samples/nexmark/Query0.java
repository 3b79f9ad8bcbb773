package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.Row;

/**
 * NEXMark query 0, pass-through: every bid, unchanged. It measures what the engine costs with no
 * work to do. Beam's query 0 passes every event, people and auctions too; this one reads the bid
 * stream only (46 of every 50 events), since Sluice's rows have one kind's columns.
 */
public final class Query0 {
  private Query0() {}

  /** Columns {@code auction, bidder, price, dateTime, extra}. */
  public static Dataset<Row> over(NexmarkStreams events) {
    return events.bids().select("auction", "bidder", "price", "dateTime", "extra");
  }
}
