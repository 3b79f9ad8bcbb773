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
    gauge("input.rate", "rows/s", m -> m.inputRate, "rows read per second in the last batch");
    gauge("processing.rate", "rows/s", m -> m.processingRate,
        "rows processed per second in the last batch");
    gauge("state.rows", "rows", m -> m.stateRows, "rows held by the stateful operators");
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
    String watermark = p.eventTime().get("watermark");
    watermarkDelayMillis = watermark == null ? Double.NaN
        : Instant.parse(p.timestamp()).toEpochMilli() - Instant.parse(watermark).toEpochMilli();
    inputRows.increment(p.numInputRows());
    lateRows.increment(p.stateOperators().stream()
        .mapToLong(StateOperatorProgress::numRowsDroppedByWatermark).sum());
    p.durationMs().forEach((phase, ms) -> phase(phase).record(Duration.ofMillis(ms)));
    for (SourceProgress source : p.sources()) {
      lag(source);
    }
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

  private void gauge(String name, String unit, ToDoubleFunction<QueryMeters> f,
      String description) {
    add(Gauge.builder(PREFIX + name, this, f).tags(tags).baseUnit(unit)
        .description(description).strongReference(true).register(registry));
  }

  private Counter counter(String name, String description) {
    return add(Counter.builder(PREFIX + name).tags(tags).baseUnit("rows")
        .description(description).register(registry));
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }
}
