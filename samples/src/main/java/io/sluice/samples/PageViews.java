package io.sluice.samples;

import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.Trigger;

/**
 * The main sample: page views and visitors per page over a generated click stream, printed to the
 * console after every one-second micro-batch; stops by itself after a few seconds (first argument,
 * default 6). A second argument, a port, turns the engine's dashboard on there (on loopback).
 *
 * <p>The query is the annotated class {@link PageViewCounts}, compiled at build time; the clicks
 * are generated at 500 a second: user {@code i % 37} (every seventh click a bot) on one of five
 * pages. Nothing external is needed.
 */
public final class PageViews {
  private static final String[] PAGES = {"home", "search", "product", "cart", "checkout"};

  private PageViews() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 6;
    Sluice.Builder settings = Sluice.builder();
    if (args.length > 1) {
      settings.dashboard(Integer.parseInt(args[1]));
    }
    try (Sluice engine = settings.build()) {
      if (engine.dashboardUri() != null) {
        System.out.println("Dashboard: " + engine.dashboardUri());
      }
      StreamingQuery query = start(engine);
      query.awaitTermination(seconds * 1000);
      query.stop();
      System.out.print(query.explain());
      StreamingQueryProgress last = query.lastProgress();
      if (last != null) {
        System.out.printf("%s: %d batches, last batch %d rows in %d ms%n", query.name(),
            last.batchId() + 1, last.numInputRows(), last.batchDuration());
      }
    }
  }

  /** Starts the sample's query on {@code engine}: it runs until stopped. */
  public static StreamingQuery start(Sluice engine) {
    Dataset<Row> views = PageViewCounts_Query.over(clicks(engine));
    return views.writeStream()
        .outputMode(OutputMode.COMPLETE)
        .trigger(Trigger.processingTime("1 second"))
        .format("console")
        .start();
  }

  /** The generated clicks, 500 a second. */
  public static Dataset<Click> clicks(Sluice engine) {
    return engine.readStream().option("rowsPerSecond", 500)
        .generate(Click.class, (i, ts) ->
            new Click(i % 7 == 6 ? "bot" : "user" + i % 37, PAGES[(int) (i % 5)], ts));
  }
}
