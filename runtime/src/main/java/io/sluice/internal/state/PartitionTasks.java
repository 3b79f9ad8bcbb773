package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Waits for work done on state partitions in parallel. Every task is waited for, also after one
 * failed, so that none still touches a partition when the failure is reported.
 */
public final class PartitionTasks {
  private PartitionTasks() {}

  /**
   * Runs {@code tasks}, one per partition, and returns their results in order, as {@link
   * #awaitAll}: the tasks {@code busy} marks go to {@code workers} when there are two or more of
   * them, every other one runs on the calling thread. Handing a task to a worker and waiting for it
   * costs tens of microseconds, more than a partition a batch does not touch takes, and a single
   * busy partition gains nothing from another thread.
   */
  public static <T> List<T> run(List<Callable<T>> tasks, boolean[] busy, ExecutorService workers,
      ErrorKind kind, String what) {
    int parallel = 0;
    for (boolean b : busy) {
      parallel += b ? 1 : 0;
    }
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    List<FutureTask<T>> here = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (parallel > 1 && busy[i]) {
        futures.add(workers.submit(tasks.get(i)));
      } else {
        FutureTask<T> task = new FutureTask<>(tasks.get(i));
        here.add(task);
        futures.add(task);
      }
    }
    // After the submissions, so that the workers start first.
    for (FutureTask<T> task : here) {
      task.run();
    }
    return awaitAll(futures, kind, what);
  }

  /**
   * The results of {@code tasks}, in order; the first failure is rethrown, as it is if it is a
   * {@link SluiceException}, else as one of {@code kind} saying {@code what} failed.
   */
  public static <T> List<T> awaitAll(List<Future<T>> tasks, ErrorKind kind, String what) {
    List<T> results = new ArrayList<>();
    Throwable failure = null;
    boolean interrupted = false;
    for (Future<T> task : tasks) {
      while (true) {
        try {
          results.add(task.get());
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          failure = failure != null ? failure : e.getCause();
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof SluiceException s) {
      throw s;
    } else if (failure != null) {
      throw new SluiceException(kind, what + " failed: " + failure, failure);
    }
    return results;
  }
}
