package io.sluice.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Work on state partitions goes to the workers only where it can run in parallel: partitions
 * with nothing to do, and a single busy one, run on the calling thread.
 */
class PartitionTasksTest {
  private final ExecutorService workers = Executors.newFixedThreadPool(2,
      r -> new Thread(r, "test-worker"));

  @AfterEach
  void close() {
    workers.shutdownNow();
  }

  private static List<Callable<String>> threadNames(int n) {
    List<Callable<String>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(() -> Thread.currentThread().getName());
    }
    return tasks;
  }

  @Test
  void busyPartitionsRunOnTheWorkersAndIdleOnesOnTheCaller() {
    String caller = Thread.currentThread().getName();

    List<String> ran = PartitionTasks.run(threadNames(4), new boolean[] {true, false, true, false},
        workers, ErrorKind.EXECUTION, "test");

    assertThat(ran).containsExactly("test-worker", caller, "test-worker", caller);
  }

  @Test
  void aSingleBusyPartitionRunsOnTheCaller() {
    String caller = Thread.currentThread().getName();

    List<String> ran = PartitionTasks.run(threadNames(3), new boolean[] {false, true, false},
        workers, ErrorKind.EXECUTION, "test");

    assertThat(ran).containsExactly(caller, caller, caller);
  }

  @Test
  void aFailureIsReportedOnceEveryTaskHasRun() {
    AtomicInteger finished = new AtomicInteger();
    List<Callable<Void>> tasks = List.of(
        () -> {
          throw new IllegalStateException("partition 0 broke");
        },
        () -> {
          finished.incrementAndGet();
          return null;
        },
        () -> {
          finished.incrementAndGet();
          return null;
        });

    assertThatThrownBy(() -> PartitionTasks.run(tasks, new boolean[] {false, true, true}, workers,
        ErrorKind.EXECUTION, "state merge"))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("state merge failed")
        .hasMessageContaining("partition 0 broke");
    assertThat(finished).hasValue(2);
  }
}
