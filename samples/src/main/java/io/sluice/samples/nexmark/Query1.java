package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.Row;

/**
 * NEXMark query 1, currency conversion: every bid with its price from dollars to euros, as Beam
 * computes it, {@code price * 89 / 100} in whole cents (integer division; other NEXMark
 * implementations use 0.908).
 */
public final class Query1 {
  private Query1() {}

  /** Columns {@code auction, bidder, price} (euro cents){@code , dateTime, extra}. */
  public static Dataset<Row> over(NexmarkStreams events) {
    return events.bids().selectExpr("auction", "bidder", "price * 89 DIV 100 AS price",
        "dateTime", "extra");
  }
}
