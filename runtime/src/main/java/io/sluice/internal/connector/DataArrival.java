package io.sluice.internal.connector;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells the queries reading a source that it has new data, so that a query with the default
 * trigger starts its next batch at once instead of at its next poll. The source's owner calls
 * {@link #signal} after the data is readable.
 */
public final class DataArrival {
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Calls {@code listener} at each later {@link #signal}, until {@link #unsubscribe}. */
  public void subscribe(Runnable listener) {
    listeners.add(listener);
  }

  public void unsubscribe(Runnable listener) {
    listeners.remove(listener);
  }

  /** Data was added: wakes every query waiting for it. */
  public void signal() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }
}
