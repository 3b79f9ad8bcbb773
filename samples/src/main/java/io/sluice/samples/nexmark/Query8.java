package io.sluice.samples.nexmark;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.window;

import io.sluice.api.Dataset;
import io.sluice.api.Row;

/**
 * NEXMark query 8, monitor new users: each person who created an auction in the 10-second
 * tumbling window of event time in which they joined, with the auction's reserve, as Beam's
 * (person id, name, reserve) rows.
 *
 * <p>A stream-stream inner join of people and auctions on {@code id = seller} and on equal
 * windows, each side's window projected before the join so that it carries the watermark (as in
 * Spark): a stored person or auction goes once the watermark passes its window's end. A pair is
 * written as soon as both sides have arrived, not when the window closes as in Beam's
 * CoGroupByKey; the rows are the same. The watermarks have no delay: no event is older than one
 * before it, and every batch brings people and auctions of the same stretch of events.
 */
public final class Query8 {
  /** Beam's {@code windowSizeSec}. */
  public static final String WINDOW = "10 seconds";

  private Query8() {}

  /** Columns {@code id, name, reserve}. */
  public static Dataset<Row> over(NexmarkStreams events) {
    Dataset<Row> people = events.people().withWatermark("dateTime", "0 seconds")
        .select(col("id"), col("name"), window(col("dateTime"), WINDOW).as("w"));
    Dataset<Row> auctions = events.auctions().withWatermark("dateTime", "0 seconds")
        .select(col("seller"), col("reserve"), window(col("dateTime"), WINDOW).as("w"));
    return people.alias("p").join(auctions.alias("a"), expr("p.id = a.seller AND p.w = a.w"))
        .select(col("p.id").as("id"), col("p.name").as("name"), col("a.reserve").as("reserve"));
  }
}
