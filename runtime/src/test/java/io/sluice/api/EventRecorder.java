package io.sluice.api;

import io.sluice.api.StreamingQueryListener.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A listener that keeps every event it hears, and the thread it heard each on, so that a test
 * can wait for a query's terminated event and then read everything before it.
 */
final class EventRecorder implements StreamingQueryListener {
  /** How long a test waits for an event; a bound against hanging, never reached when it passes. */
  private static final long BOUND_SECONDS = 10;

  private final List<Event> events = new ArrayList<>();
  private final List<String> threads = new ArrayList<>();
  private final Semaphore terminated = new Semaphore(0);

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    add(event);
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    add(event);
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {
    add(event);
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    add(event);
    terminated.release();
  }

  private synchronized void add(Event event) {
    events.add(event);
    threads.add(Thread.currentThread().getName());
    notifyAll();
  }

  /**
   * Waits until the listeners before this one have heard {@code query}'s last batch, for tests
   * whose listeners read a clock the test moves next.
   */
  synchronized void awaitLastBatchOf(StreamingQuery query) throws InterruptedException {
    long batchId = query.lastProgress().batchId();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (!batchIds().contains(batchId)) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError("batch " + batchId + " not heard within " + BOUND_SECONDS
            + " s; heard " + events);
      }
      wait(left);
    }
  }

  /** Waits until a query's terminated event has come; events arrive in order, so all before it. */
  EventRecorder awaitTerminated() throws InterruptedException {
    if (!terminated.tryAcquire(BOUND_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("no terminated event within " + BOUND_SECONDS + " s; heard "
          + events());
    }
    return this;
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The events' kinds, e.g. {@code [QueryStartedEvent, QueryProgressEvent]}. */
  List<String> kinds() {
    return events().stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  synchronized List<String> threads() {
    return List.copyOf(threads);
  }

  /** The batch ids of the progress events, in order. */
  List<Long> batchIds() {
    return events().stream().filter(e -> e instanceof QueryProgressEvent)
        .map(e -> ((QueryProgressEvent) e).progress().batchId()).toList();
  }
}
