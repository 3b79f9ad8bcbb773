package io.sluice.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQueryListener;
import io.sluice.api.StreamingQueryProgress;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes the progress of an engine's queries as Micrometer meters, tagged by query name
 * ({@code query}) and id ({@code id}), from each query's start (or its first batch after binding)
 * until it stops, when its meters are removed.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry(); // or the application's registry
 * try (Sluice engine = Sluice.create();
 *     SluiceMetrics metrics = SluiceMetrics.bindTo(engine, registry)) {
 *   ... start queries ...
 * }
 * }</pre>
 *
 * <p>The meters: gauges {@code sluice.query.input.rate} and {@code sluice.query.processing.rate}
 * (rows per second of the last batch), {@code sluice.query.state.rows} and {@code
 * sluice.query.state.memory} (bytes, over all stateful operators), {@code
 * sluice.query.watermark.delay} (a time gauge: the last batch's time minus its watermark, NaN
 * before the query has one), and
 * per source with Kafka's offsets {@code sluice.query.source.offsets.behind.latest} (tags {@code
 * source} and {@code statistic}: {@code max}, {@code min}, {@code avg}); counters {@code
 * sluice.query.input.rows} and {@code sluice.query.late.rows.dropped} (rows behind the watermark);
 * and a timer {@code sluice.query.batch.duration} per phase of {@code durationMs} (tag {@code
 * phase}, {@code triggerExecution} being the whole batch). The meters follow the listener thread,
 * so they trail the queries by the events still waiting.
 */
public final class SluiceMetrics implements AutoCloseable {
  private final Sluice engine;
  private final MeterRegistry registry;
  private final Map<UUID, QueryMeters> queries = new HashMap<>();
  private final Listener listener = new Listener();
  /** Events already on their way when closed must not bring meters back. */
  private boolean closed;

  private SluiceMetrics(Sluice engine, MeterRegistry registry) {
    this.engine = engine;
    this.registry = registry;
  }

  /** Starts publishing the meters of {@code engine}'s queries to {@code registry}. */
  public static SluiceMetrics bindTo(Sluice engine, MeterRegistry registry) {
    SluiceMetrics metrics = new SluiceMetrics(engine, registry);
    engine.addListener(metrics.listener);
    return metrics;
  }

  /** Stops publishing and removes the meters of the queries still running. */
  @Override
  public synchronized void close() {
    closed = true;
    engine.removeListener(listener);
    queries.values().forEach(QueryMeters::remove);
    queries.clear();
  }

  private synchronized void started(UUID runId, UUID id, String name) {
    if (closed) {
      return;
    }
    queries.computeIfAbsent(runId, r -> new QueryMeters(registry, name, id));
  }

  private synchronized void progress(StreamingQueryProgress progress) {
    if (closed) {
      return;
    }
    queries.computeIfAbsent(progress.runId(),
        r -> new QueryMeters(registry, progress.name(), progress.id())).update(progress);
  }

  private synchronized void terminated(UUID runId) {
    QueryMeters meters = queries.remove(runId);
    if (meters != null) {
      meters.remove();
    }
  }

  /** Hears the engine's events; apart, so that the listener's methods are not this API. */
  private final class Listener implements StreamingQueryListener {
    @Override
    public void onQueryStarted(QueryStartedEvent event) {
      started(event.runId(), event.id(), event.name());
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      progress(event.progress());
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
      terminated(event.runId());
    }

    @Override
    public String toString() {
      return "SluiceMetrics";
    }
  }
}
