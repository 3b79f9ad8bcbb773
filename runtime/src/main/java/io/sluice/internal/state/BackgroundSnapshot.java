package io.sluice.internal.state;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot of one state partition written on the store's maintenance thread, off the batch
 * path, while later batches keep changing the live map.
 *
 * <p>It is fuzzy: each key holds its value at some version from {@code from} (committed when the
 * snapshot was asked for) to {@code usable}, the newest version whose apply had begun when the
 * iteration ended. Replaying the change logs after {@code from} up to any target from {@code
 * usable} on makes it exact, because a change log holds each changed key's value after its batch,
 * or its removal, and is on disk before the batch touches the map; a key no batch after {@code
 * from} changed keeps the value the iteration read. So the file is named for both versions, and a
 * rebuild of an earlier version never starts from it.
 *
 * <p>A rollback of a version it may have read, a restore or a close {@linkplain #cancel cancels}
 * it first; one that still got published is then deleted with the versions rolled back, its
 * usable version being one of them.
 */
final class BackgroundSnapshot implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundSnapshot.class);

  private final String partition;
  private final long from;
  private final LiveMap live;
  private final StateHistory history;
  private final LongSupplier begun;
  private final Runnable afterEntry;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean cancelled;
  private volatile @Nullable RuntimeException failure;

  /**
   * A snapshot of {@code live} after version {@code from}; {@code begun} gives the newest version
   * whose apply has begun, and {@code afterEntry} runs after each entry written (tests pause
   * there).
   */
  BackgroundSnapshot(String partition, long from, LiveMap live, StateHistory history,
      LongSupplier begun, Runnable afterEntry) {
    this.partition = partition;
    this.from = from;
    this.live = live;
    this.history = history;
    this.begun = begun;
    this.afterEntry = afterEntry;
  }

  long from() {
    return from;
  }

  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    try {
      write();
    } catch (Cancelled e) {
      LOG.debug("snapshot of state partition {} after version {} cancelled", partition, from);
    } catch (RuntimeException e) {
      LOG.error("snapshot of state partition {} after version {} failed", partition, from, e);
      failure = e;
    } finally {
      ended.countDown();
    }
  }

  private void write() {
    try (StateFile.Writer writer = history.writer(history.snapshot(from, from))) {
      live.forEach((key, value) -> {
        if (cancelled) {
          throw new Cancelled();
        }
        writer.add(key, null, value);
        afterEntry.run();
      });
      // Read after the iteration: it covers every version whose changes the iteration saw.
      long usable = begun.getAsLong();
      if (cancelled) {
        return;
      }
      long bytes = writer.publishAs(history.snapshot(from, usable));
      history.recordSnapshot(new StateHistory.Snapshot(from, usable, bytes));
    }
  }

  /**
   * Stops the snapshot, abandoning its file unless it is published already, and returns once it
   * no longer runs; one that never started never will.
   */
  void cancel() {
    cancelled = true;
    if (started.compareAndSet(false, true)) {
      ended.countDown();
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        ended.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  boolean ended() {
    return ended.getCount() == 0;
  }

  /** Waits until the snapshot has ended, written, failed or cancelled. */
  void awaitEnd() throws InterruptedException {
    ended.await();
  }

  /** Why the snapshot failed, once it has ended; null if it did not. */
  @Nullable RuntimeException failure() {
    return failure;
  }

  /** Unwinds the iteration of a cancelled snapshot. */
  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super(null, null, false, false);
    }
  }
}
