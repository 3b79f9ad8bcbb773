package io.sluice.samples;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.window;

import io.sluice.api.ConsoleProgress;
import io.sluice.api.Dataset;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.samples.workload.AdEvent;
import io.sluice.samples.workload.AdEvents;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WindowCounts;
import io.sluice.samples.workload.WorkloadRunner;

/**
 * Workload W1 of WORKLOADS.md, a windowed count: the views of each ad campaign per 10-second
 * window of event time, where an ad's campaign is its id divided by ten (1,000 campaigns of ten
 * consecutive ads). W2 ({@link CampaignCounts}) is the same count with the campaign taken from a
 * table instead.
 *
 * <p>The watermark trails the latest view by 5 seconds; in append mode each window is written
 * once, when the watermark passes its end.
 *
 * <p>{@link #main} runs it over the first million events (first argument), in batches of 100,000
 * (second argument), as fast as it can, and checks the windows against the plain Java count:
 *
 * <pre>
 * mvn -q -B -pl samples -am -DskipTests package exec:exec -Dsample.main=io.sluice.samples.ViewCounts
 * </pre>
 */
public final class ViewCounts {
  private ViewCounts() {}

  /**
   * W1's query: {@code events} that are views, counted per 10-second window and campaign ({@code
   * adId / 10}). Columns {@code windowStart} (epoch milliseconds), {@code campaignId}, {@code
   * views}. ({@code DIV} divides integers, as in Spark SQL, where {@code /} would give a double.)
   */
  public static Dataset<Row> query(Dataset<AdEvent> events) {
    return events.filter("eventType = " + AdEvent.VIEW)
        .withWatermark("eventTimeMs", "5 seconds")
        .groupBy(window(col("eventTimeMs"), "10 seconds"), expr("adId DIV 10 AS campaignId"))
        .agg(count("*").as("views"))
        .select(col("window.start").as("windowStart"), col("campaignId"), col("views"));
  }

  /** W1's query over {@code events}; the engine is not needed, as W1 has no table. */
  public static Dataset<Row> over(Sluice engine, Dataset<AdEvent> events) {
    return query(events);
  }

  /** W1's campaign of ad {@code adId}. */
  public static long campaignOf(long adId) {
    return adId / 10;
  }

  public static void main(String[] args) {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    long perBatch = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
    WindowCountSink sink = WindowCountSink.counting();
    long start = System.nanoTime();
    // The progress line goes to standard error, apart from the result printed below.
    long batches = WorkloadRunner.run(Sluice.builder().listener(ConsoleProgress.create()),
        ViewCounts::over, events, perBatch, sink);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("view-counts: %,d events in %,d batches, %,d ms: %,d closed windows,"
        + " %,d views%n", events, batches, millis, sink.rows(), sink.sumOfCounts());
    sink.check(WindowCounts.of(events, ViewCounts::campaignOf));
    System.out.println("view-counts: the same as the plain Java count");
  }
}
