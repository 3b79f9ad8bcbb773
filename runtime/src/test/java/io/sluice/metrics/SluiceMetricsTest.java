package io.sluice.metrics;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.window;
import static io.sluice.fixtures.Tick.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.fixtures.Tick;
import io.sluice.testkit.ManualClock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each meter shows what the query's batches did, tagged by query name and id, from its start
 * until it stops, when its meters go.
 */
class SluiceMetricsTest {
  private final ManualClock clock = new ManualClock(Tick.T0.plusSeconds(100).toEpochMilli());
  private final Sluice engine = Sluice.builder().clock(clock).statePartitions(2).build();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SluiceMetrics metrics = SluiceMetrics.bindTo(engine, registry);
  private final BatchBarrier barrier = new BatchBarrier();
  private final MemoryStream<Tick> ticks = engine.memoryStream(Tick.class);

  @AfterEach
  void close() {
    metrics.close();
    engine.close();
  }

  /** Ten-second windows counted, the watermark ten seconds behind the latest tick. */
  private StreamingQuery windowCounts(String name) {
    engine.addListener(barrier);
    return ticks.toDataset().withWatermark("time", "10 seconds")
        .groupBy(window(col("time"), "10 seconds")).count().writeStream().queryName(name)
        .outputMode(OutputMode.UPDATE).format("memory").start();
  }

  private double gauge(String name, String query) {
    return registry.get("sluice.query." + name).tag("query", query).gauge().value();
  }

  private double counter(String name, String query) {
    return registry.get("sluice.query." + name).tag("query", query).counter().count();
  }

  @Test
  void theMetersShowTheBatchesOfAStatefulQueryWithAWatermark() throws Exception {
    StreamingQuery query = windowCounts("windows");
    // Batch 0, then batch 1 without data: the watermark, 50 - 10 = 40 s, closes [10, 20) and
    // [20, 30); [50, 60) stays.
    ticks.addData(at("a", 10), at("a", 20), at("a", 50));
    query.processAllAvailable();
    // Batch 2: 5 s falls in [0, 10), closed: dropped as late; 45 s opens [40, 50).
    ticks.addData(at("a", 5), at("a", 45));
    query.processAllAvailable();
    barrier.awaitBatches(3);

    StreamingQueryProgress last = query.lastProgress();
    assertThat(last.batchId()).isEqualTo(2);
    assertThat(gauge("state.rows", "windows")).isEqualTo(2);
    assertThat(gauge("state.memory", "windows"))
        .isEqualTo(last.stateOperators().get(0).memoryUsedBytes()).isPositive();
    assertThat(counter("late.rows.dropped", "windows")).isEqualTo(1);
    assertThat(counter("input.rows", "windows")).isEqualTo(5);
    assertThat(gauge("input.rate", "windows")).isEqualTo(last.inputRowsPerSecond());
    assertThat(gauge("processing.rate", "windows")).isEqualTo(last.processedRowsPerSecond());
    // The batch ran at T0 + 100 s with the watermark at T0 + 40 s.
    assertThat(registry.get("sluice.query.watermark.delay").tag("query", "windows").timeGauge()
        .value(TimeUnit.MILLISECONDS)).isEqualTo(60_000);
  }

  @Test
  void eachPhaseOfEachBatchIsTimed() throws Exception {
    engine.addListener(barrier);
    StreamingQuery query = ticks.toDataset().writeStream().queryName("timed").format("memory")
        .start();
    ticks.addData(at("a", 1));
    query.processAllAvailable();
    ticks.addData(at("a", 2));
    query.processAllAvailable();
    barrier.awaitBatches(2);

    List<StreamingQueryProgress> batches = query.recentProgress();
    for (String phase : batches.get(0).durationMs().keySet()) {
      Timer timer = registry.get("sluice.query.batch.duration").tag("query", "timed")
          .tag("phase", phase).timer();
      assertThat(timer.count()).as(phase).isEqualTo(batches.size());
      assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).as(phase).isEqualTo(
          batches.stream().mapToLong(p -> p.durationMs().get(phase)).sum());
    }
  }

  @Test
  void theMetersAreTaggedByQueryNameAndIdAndGoWhenTheQueryStops() throws Exception {
    StreamingQuery query = windowCounts("tagged");
    ticks.addData(at("a", 1));
    query.processAllAvailable();
    barrier.awaitBatches(1);
    Collection<Meter> meters = registry.find("sluice.query.input.rows").tag("query", "tagged")
        .meters();
    assertThat(meters).singleElement().extracting(m -> m.getId().getTag("id"))
        .isEqualTo(query.id().toString());

    query.stop();
    barrier.awaitTerminated();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void aQueryWithoutAWatermarkOrStateShowsNoneOfEither() throws Exception {
    engine.addListener(barrier);
    StreamingQuery query = ticks.toDataset().writeStream().queryName("plain").format("memory")
        .start();
    ticks.addData(at("a", 1), at("b", 2));
    query.processAllAvailable();
    barrier.awaitBatches(1);

    assertThat(gauge("state.rows", "plain")).isZero();
    assertThat(registry.get("sluice.query.watermark.delay").tag("query", "plain").timeGauge()
        .value(TimeUnit.MILLISECONDS)).isNaN();
    assertThat(counter("input.rows", "plain")).isEqualTo(2);
  }

  @Test
  void closingStopsPublishingAndRemovesTheMeters() throws Exception {
    StreamingQuery query = windowCounts("closed");
    ticks.addData(at("a", 1));
    query.processAllAvailable();
    barrier.awaitBatches(1);

    metrics.close();
    assertThat(registry.getMeters()).isEmpty();
    ticks.addData(at("a", 2));
    query.processAllAvailable();
    barrier.awaitBatches(1);
    assertThat(registry.getMeters()).isEmpty();
  }
}
