package io.sluice.samples;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.countDistinct;

import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.Trigger;

/**
 * The main sample: page views per page from a generated click stream, printed to the console
 * after every one-second micro-batch; stops by itself after a few seconds (first argument).
 *
 * <p>The click stream comes from the built-in rate source: row {@code value} becomes a click by
 * user {@code value % 37} on one of five pages. Nothing external is needed.
 */
public final class PageViews {
  private PageViews() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 6;
    try (Sluice engine = Sluice.create()) {
      Dataset<Row> clicks = engine.readStream().format("rate").option("rowsPerSecond", 500).load()
          .selectExpr(
              "value % 37 AS user",
              "CASE value % 5 WHEN 0 THEN 'home' WHEN 1 THEN 'search' WHEN 2 THEN 'product' "
                  + "WHEN 3 THEN 'cart' ELSE 'checkout' END AS page",
              "timestamp");
      Dataset<Row> views = clicks.filter("page != 'checkout' OR user < 20")
          .groupBy(col("page"))
          .agg(count("*").as("views"), countDistinct("user").as("users"));
      StreamingQuery query = views.writeStream()
          .queryName("page-views")
          .outputMode(OutputMode.COMPLETE)
          .trigger(Trigger.processingTime("1 second"))
          .format("console")
          .start();
      query.awaitTermination(seconds * 1000);
      query.stop();
      StreamingQueryProgress last = query.lastProgress();
      if (last != null) {
        System.out.printf("page-views: %d batches, last batch %d rows in %d ms%n",
            last.batchId() + 1, last.numInputRows(), last.batchDuration());
      }
    }
  }
}
