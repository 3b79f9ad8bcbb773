package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits for work done on state partitions in parallel. Every task is waited for, also after one
 * failed, so that none still touches a partition when the failure is reported.
 */
public final class PartitionTasks {
  private PartitionTasks() {}

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
