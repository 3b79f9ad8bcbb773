package io.sluice.internal.exec;

import io.sluice.api.StreamingQueryListener;
import io.sluice.api.StreamingQueryListener.Event;
import io.sluice.api.StreamingQueryListener.QueryIdleEvent;
import io.sluice.api.StreamingQueryListener.QueryProgressEvent;
import io.sluice.api.StreamingQueryListener.QueryStartedEvent;
import io.sluice.api.StreamingQueryListener.QueryTerminatedEvent;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Carries an engine's query events to its listeners on one thread of its own, in order, so that
 * no listener runs on, or holds up, a query's thread.
 */
public final class ListenerBus implements AutoCloseable {
  /** As Spark's listener bus: past this many waiting events, new ones are dropped. */
  static final int CAPACITY = 10_000;
  /** How long closing waits for the listeners to take the events already posted. */
  private static final long DRAIN_MILLIS = 10_000;

  private final List<StreamingQueryListener> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Logger log;
  private final Object stop = new Object();
  private @Nullable Thread thread;
  private boolean closed;
  /** Set on the bus's own thread when a listener closes the engine: it drains, then ends. */
  private boolean closedByListener;

  public ListenerBus(Logger log) {
    this.log = log;
  }

  public void add(StreamingQueryListener listener) {
    listeners.add(listener);
    startThread();
  }

  public void remove(StreamingQueryListener listener) {
    listeners.remove(listener);
  }

  /** Queues an event for the listeners; returns at once, from any thread. */
  public void post(Event event) {
    if (listeners.isEmpty()) {
      return;
    }
    if (!queue.offer(event) && dropped.incrementAndGet() == 1) {
      log.warn("{} query events wait for the listeners, which are slower than the queries;"
          + " newer events are dropped while the queue is full", CAPACITY);
    }
  }

  private synchronized void startThread() {
    if (thread != null || closed) {
      return;
    }
    Thread t = new Thread(this::deliver, "sluice-listener-bus");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void deliver() {
    try {
      for (Object next = queue.take(); next != null && next != stop; next = nextEvent()) {
        for (StreamingQueryListener listener : listeners) {
          dispatch(listener, (Event) next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private @Nullable Object nextEvent() throws InterruptedException {
    return closedByListener ? queue.poll() : queue.take();
  }

  private void dispatch(StreamingQueryListener listener, Event event) {
    try {
      if (event instanceof QueryProgressEvent p) {
        listener.onQueryProgress(p);
      } else if (event instanceof QueryStartedEvent s) {
        listener.onQueryStarted(s);
      } else if (event instanceof QueryIdleEvent i) {
        listener.onQueryIdle(i);
      } else {
        listener.onQueryTerminated((QueryTerminatedEvent) event);
      }
    } catch (RuntimeException | LinkageError | AssertionError e) {
      log.warn("listener {} failed on {}; it keeps receiving events", listener,
          event.getClass().getSimpleName(), e);
    }
  }

  /** Delivers what was posted (waiting 10 seconds at most), then stops the thread. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    if (t == null) {
      return;
    }
    if (t == Thread.currentThread()) {
      // Joining itself would stall, and the interrupt would end it before the events that
      // stopping the queries posted were delivered.
      closedByListener = true;
      return;
    }
    try {
      if (!queue.offer(stop, DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
        t.interrupt();
      }
      t.join(DRAIN_MILLIS);
      t.interrupt();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      t.interrupt();
    }
    if (dropped.get() > 0) {
      log.warn("{} query events were dropped because the listeners fell behind", dropped.get());
    }
  }
}
