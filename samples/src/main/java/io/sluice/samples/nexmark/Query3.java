package io.sluice.samples.nexmark;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.expr;

import io.sluice.api.Dataset;
import io.sluice.api.Row;

/**
 * NEXMark query 3, local item suggestion: who sells in category 10 from Oregon, Idaho or
 * California, and which auctions: (name, city, state, auction id) for every auction of category
 * 10 whose seller lives in OR, ID or CA.
 *
 * <p>A stream-stream inner join of the filtered people and auctions on {@code id = seller},
 * written as soon as both sides have arrived (an auction may come before its seller, by up to
 * 10 people). Beam's join keeps a person, and the auctions waiting for one, until 600 s of event
 * time after the key's latest event ({@code maxAuctionsWaitingTime}); here the condition also
 * asks the auction to be within 600 s of the person, which bounds both sides' state the same
 * way through the watermark. Every seller this generator picks is one of the latest 1,000 people
 * or 10 ahead (seconds apart), so the bound removes no pair.
 */
public final class Query3 {
  /** Beam's {@code maxAuctionsWaitingTime}. */
  public static final String WAIT = "600 seconds";

  private Query3() {}

  /** Columns {@code name, city, state, id} (the auction's). */
  public static Dataset<Row> over(NexmarkStreams events) {
    Dataset<Row> sellers = events.people().filter("state IN ('OR', 'ID', 'CA')")
        .selectExpr("id", "name", "city", "state", "timestamp_millis(dateTime) AS time")
        .withWatermark("time", "0 seconds");
    Dataset<Row> auctions = events.auctions().filter("category = 10")
        .selectExpr("id", "seller", "timestamp_millis(dateTime) AS time")
        .withWatermark("time", "0 seconds");
    return sellers.alias("p").join(auctions.alias("a"), expr("p.id = a.seller"
            + " AND a.time >= p.time - INTERVAL " + WAIT + " AND a.time <= p.time + INTERVAL "
            + WAIT))
        .select(col("p.name").as("name"), col("p.city").as("city"), col("p.state").as("state"),
            col("a.id").as("id"));
  }
}
