package io.sluice.api;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Hears what the queries of an engine do, as Spark's {@code StreamingQueryListener}: a query
 * started, finished a batch, found nothing to do for a while, or stopped.
 *
 * <pre>{@code
 * engine.addListener(new StreamingQueryListener() {
 *   @Override
 *   public void onQueryProgress(QueryProgressEvent event) {
 *     dashboard.show(event.progress().json());
 *   }
 * });
 * }</pre>
 *
 * <p>Every method does nothing unless overridden, so a listener implements only what it needs.
 * The engine calls its listeners on one thread of its own, in the order the events happened,
 * never on a query's thread: a slow listener delays the listeners, not the queries (an engine
 * keeps at most 10,000 events waiting and drops newer ones, with a warning), and an exception a
 * listener throws is logged and the next event delivered as usual. Events posted while no
 * listener is registered are not kept.
 */
public interface StreamingQueryListener {
  /** A query started, before its first batch. */
  default void onQueryStarted(QueryStartedEvent event) {}

  /** A query finished a batch. */
  default void onQueryProgress(QueryProgressEvent event) {}

  /**
   * A query found no new data, and has found none for {@code noDataProgressEventInterval} (an
   * engine setting, 10 seconds by default) since its last batch or its last idle event.
   */
  default void onQueryIdle(QueryIdleEvent event) {}

  /** A query stopped: asked to, done with its trigger, or failed. */
  default void onQueryTerminated(QueryTerminatedEvent event) {}

  /** One of the events a listener hears. */
  sealed interface Event permits QueryStartedEvent, QueryProgressEvent, QueryIdleEvent,
      QueryTerminatedEvent {}

  /** A query started; {@code timestamp} is the engine's time, ISO-8601 in UTC. */
  record QueryStartedEvent(UUID id, UUID runId, String name, String timestamp) implements Event {}

  /** A query finished a batch, as {@code progress} tells. */
  record QueryProgressEvent(StreamingQueryProgress progress) implements Event {}

  /** A query found no new data at {@code timestamp} (ISO-8601, UTC) and has been idle a while. */
  record QueryIdleEvent(UUID id, UUID runId, String timestamp) implements Event {}

  /**
   * A query stopped. When it failed, {@code exception} is the failure with its stack trace as
   * text and {@code errorClassOnException} its {@link ErrorKind#id()}, as in Spark; both are null
   * when it stopped normally.
   */
  record QueryTerminatedEvent(UUID id, UUID runId, @Nullable String exception,
      @Nullable String errorClassOnException) implements Event {}
}
