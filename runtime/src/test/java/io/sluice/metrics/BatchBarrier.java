package io.sluice.metrics;

import io.sluice.api.StreamingQueryListener;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A listener registered after {@link SluiceMetrics}: the listener thread calls it after the
 * meters took the same event, so that once it has heard a batch the meters show that batch.
 */
final class BatchBarrier implements StreamingQueryListener {
  /** A bound against hanging, never reached when a test passes. */
  private static final long BOUND_SECONDS = 10;

  private final Semaphore progress = new Semaphore(0);
  private final Semaphore terminated = new Semaphore(0);

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    progress.release();
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    terminated.release();
  }

  /** Waits until the meters have taken {@code batches} more batches. */
  void awaitBatches(int batches) throws InterruptedException {
    await(progress, batches, "batches");
  }

  void awaitTerminated() throws InterruptedException {
    await(terminated, 1, "a terminated event");
  }

  private static void await(Semaphore events, int count, String what)
      throws InterruptedException {
    if (!events.tryAcquire(count, BOUND_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("no " + count + " " + what + " within " + BOUND_SECONDS + " s");
    }
  }
}
