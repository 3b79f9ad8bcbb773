package io.sluice.samples;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.window;

import io.sluice.api.ConsoleProgress;
import io.sluice.api.Dataset;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.samples.workload.AdCampaign;
import io.sluice.samples.workload.AdEvent;
import io.sluice.samples.workload.AdEvents;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WindowCounts;
import io.sluice.samples.workload.WorkloadRunner;

/**
 * Workload W2 of WORKLOADS.md, a stream-static join then a windowed count: the views of each ad
 * campaign per 10-second window of event time, where an ad's campaign comes from a static table
 * of the 10,000 ads ({@link AdCampaign}), joined to the stream in the stream's own stage.
 *
 * <p>The watermark trails the latest view by 5 seconds; in append mode each window is written
 * once, when the watermark passes its end. Events are {@link AdEvents}'; none is ever late. (The
 * filter comes before the watermark so that the query says what Spark would run either way: it
 * pushes a filter that does not read the event time below the watermark, and so does Sluice.)
 *
 * <p>{@link #main} runs it over the first million events (first argument), in batches of 100,000
 * (second argument), as fast as it can, and prints how many windows closed and their views,
 * checked against the same count made in plain Java:
 *
 * <pre>
 * mvn -q -B -pl samples -am -DskipTests package exec:exec -Dsample.main=io.sluice.samples.CampaignCounts
 * </pre>
 */
public final class CampaignCounts {
  private CampaignCounts() {}

  /**
   * W2's query: {@code events} that are views, joined on {@code adId} with the {@link
   * AdCampaign} table, counted per 10-second window and campaign. Columns {@code windowStart}
   * (epoch milliseconds), {@code campaignId}, {@code views}.
   */
  public static Dataset<Row> query(Dataset<AdEvent> events, Dataset<AdCampaign> campaigns) {
    return events.filter("eventType = " + AdEvent.VIEW)
        .withWatermark("eventTimeMs", "5 seconds")
        .alias("e").join(campaigns.alias("c"), expr("e.adId = c.adId"))
        .groupBy(window(col("eventTimeMs"), "10 seconds"), col("campaignId"))
        .agg(count("*").as("views"))
        .select(col("window.start").as("windowStart"), col("campaignId"), col("views"));
  }

  /** W2's query over {@code events} on {@code engine}, with the campaign table it needs. */
  public static Dataset<Row> over(Sluice engine, Dataset<AdEvent> events) {
    return query(events, engine.createDataset(AdCampaign.table(), AdCampaign.class));
  }

  public static void main(String[] args) {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    long perBatch = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
    WindowCountSink sink = WindowCountSink.counting();
    long start = System.nanoTime();
    // The progress line goes to standard error, apart from the result printed below.
    long batches = WorkloadRunner.run(Sluice.builder().listener(ConsoleProgress.create()),
        CampaignCounts::over, events, perBatch, sink);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("campaign-counts: %,d events in %,d batches, %,d ms: %,d closed windows,"
        + " %,d views%n", events, batches, millis, sink.rows(), sink.sumOfCounts());
    WindowCounts expected = WindowCounts.of(events, AdCampaign::campaignOf);
    sink.check(expected);
    System.out.println("campaign-counts: the same as the plain Java count");
  }
}
