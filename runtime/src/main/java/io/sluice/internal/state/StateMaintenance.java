package io.sluice.internal.state;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance thread of one state store, {@code sluice-state-maintenance-<store>}: it writes
 * the partitions' snapshots, one after another, and deletes the files retention no longer needs,
 * while the query's batches go on. Started by the first such task, so that a store that has none
 * has no thread; a daemon, so that it never keeps a JVM alive. Each task keeps the store marked in
 * use while it runs, as a snapshot reads the maps.
 */
final class StateMaintenance implements Executor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateMaintenance.class);

  private final String threadName;
  private final InUseMarker inUse;
  private @Nullable ExecutorService thread;

  StateMaintenance(String store, InUseMarker inUse) {
    this.threadName = "sluice-state-maintenance-" + store;
    this.inUse = inUse;
  }

  @Override
  public synchronized void execute(Runnable task) {
    if (thread == null) {
      thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, threadName);
        t.setDaemon(true);
        return t;
      });
    }
    inUse.taskBegins();
    try {
      thread.execute(() -> run(task));
    } catch (RejectedExecutionException e) {
      taskEnded();
      throw e;
    }
  }

  /**
   * Runs {@code task}; a snapshot reports its own failure to the next batch, and a deletion that
   * failed leaves files the next start lists and deletes again, so a failure here is only logged.
   */
  private void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("{}: {}", threadName, e.getMessage(), e);
    } finally {
      taskEnded();
    }
  }

  private void taskEnded() {
    try {
      inUse.taskEnds();
    } catch (RuntimeException e) {
      // The marker only makes the next open recover the maps: a stray one costs time, no data.
      LOG.warn("{}: {}", threadName, e.getMessage());
    }
  }

  /**
   * Stops the thread once the tasks handed to it have ended; the partitions cancel their
   * snapshots first, so this does not wait for one to be written.
   */
  @Override
  public synchronized void close() {
    if (thread == null) {
      return;
    }
    thread.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (thread.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
        LOG.warn("{} is still writing a snapshot after a minute", threadName);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
