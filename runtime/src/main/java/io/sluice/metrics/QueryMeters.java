package io.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.sluice.api.SourceProgress;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StreamingQueryProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/** The meters of one query run, set from each batch's progress and removed when it stops. */
final class QueryMeters {
  private static final String PREFIX = "sluice.query.";
  /** Spark's names for how far a Kafka source is behind the latest offsets. */
  private static final List<String> LAG_STATISTICS = List.of("max", "min", "avg");

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, Timer> phases = new HashMap<>();
  /** Written by the listener thread, read by the registry's gauges from any thread. */
  private final Map<String, Double> lags = new ConcurrentHashMap<>();
  private final Counter inputRows;
  private final Counter lateRows;
  // Read by the registry's gauges, from any thread.
  private volatile double inputRate = Double.NaN;
  private volatile double processingRate = Double.NaN;
  private volatile double stateRows = Double.NaN;
  private volatile double stateBytes = Double.NaN;
  private volatile double watermarkDelayMillis = Double.NaN;

  QueryMeters(MeterRegistry registry, String name, UUID id) {
    this.registry = registry;
    this.tags = Tags.of("query", name, "id", id.toString());
    // Rows are what the names count: only bytes get a base unit, which exporters such as
    // Prometheus's append to the name.
    gauge("input.rate", null, m -> m.inputRate, "rows read per second in the last batch");
    gauge("processing.rate", null, m -> m.processingRate,
        "rows processed per second in the last batch");
    gauge("state.rows", null, m -> m.stateRows, "rows held by the stateful operators");
    gauge("state.memory", BaseUnits.BYTES, m -> m.stateBytes,
        "off-heap bytes of the stateful operators");
    meters.add(TimeGauge.builder(PREFIX + "watermark.delay", this, TimeUnit.MILLISECONDS,
            m -> m.watermarkDelayMillis).tags(tags).strongReference(true)
        .description("the last batch's time minus its watermark").register(registry));
    this.inputRows = counter("input.rows", "rows read");
    this.lateRows = counter("late.rows.dropped", "rows dropped as behind the watermark");
  }

  void update(StreamingQueryProgress p) {
    inputRate = p.inputRowsPerSecond();
    processingRate = p.processedRowsPerSecond();
    stateRows = p.stateOperators().stream().mapToLong(StateOperatorProgress::numRowsTotal).sum();
    stateBytes = p.stateOperators().stream().mapToLong(StateOperatorProgress::memoryUsedBytes)
        .sum();
    watermarkDelayMillis = watermarkDelayMillis(p);
    inputRows.increment(p.numInputRows());
    lateRows.increment(p.stateOperators().stream()
        .mapToLong(StateOperatorProgress::numRowsDroppedByWatermark).sum());
    p.durationMs().forEach((phase, ms) -> phase(phase).record(Duration.ofMillis(ms)));
    for (SourceProgress source : p.sources()) {
      lag(source);
    }
  }

  /**
   * The batch's time minus its watermark; unknown without a watermark or before the first one,
   * which progress shows as the epoch, as Spark's does.
   */
  private static double watermarkDelayMillis(StreamingQueryProgress p) {
    String text = p.eventTime().get("watermark");
    long watermark = text == null ? 0 : Instant.parse(text).toEpochMilli();
    return watermark == 0 ? Double.NaN : Instant.parse(p.timestamp()).toEpochMilli() - watermark;
  }

  void remove() {
    meters.forEach(registry::remove);
  }

  private Timer phase(String phase) {
    return phases.computeIfAbsent(phase, k -> add(Timer.builder(PREFIX + "batch.duration")
        .tags(tags).tag("phase", k).description("time of a phase of a batch")
        .register(registry)));
  }

  /** Spark's offsets behind latest of a source that reports them (Kafka's). */
  private void lag(SourceProgress source) {
    for (String statistic : LAG_STATISTICS) {
      String value = source.metrics().get(statistic + "OffsetsBehindLatest");
      if (value == null) {
        continue;
      }
      String key = statistic + " " + source.description();
      if (lags.put(key, Double.parseDouble(value)) == null) {
        add(Gauge.builder(PREFIX + "source.offsets.behind.latest", lags,
                l -> l.getOrDefault(key, Double.NaN))
            .tags(tags).tag("source", source.description()).tag("statistic", statistic)
            .description("offsets between a source's last batch and its latest")
            .strongReference(true).register(registry));
      }
    }
  }

  private void gauge(String name, @Nullable String unit, ToDoubleFunction<QueryMeters> f,
      String description) {
    add(Gauge.builder(PREFIX + name, this, f).tags(tags).baseUnit(unit)
        .description(description).strongReference(true).register(registry));
  }

  private Counter counter(String name, String description) {
    return add(Counter.builder(PREFIX + name).tags(tags).description(description)
        .register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }
}
