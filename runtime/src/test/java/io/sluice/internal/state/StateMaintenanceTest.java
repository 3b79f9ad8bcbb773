package io.sluice.internal.state;

import static io.sluice.internal.state.RandomVersions.contents;
import static io.sluice.internal.state.StatePartitionTest.key;
import static io.sluice.internal.state.StatePartitionTest.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.exec.JvmFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store hands the snapshots that fall due to its own maintenance thread and goes on with the
 * next batch; the store stays marked in use while a snapshot reads its maps, so that a process
 * killed in the middle of one is recovered from like one killed in a batch, to the committed
 * version, the half-written snapshot deleted.
 */
@Timeout(120)
class StateMaintenanceTest {
  /** Enough inserts for their change log to pass the snapshot threshold of a megabyte. */
  private static final int KEYS = 40_000;
  private static final String PAUSED = "paused";
  private static final String COMMITTED = "committed 2";

  @TempDir
  Path folder;

  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final CountDownLatch paused = new CountDownLatch(1);
  private final CountDownLatch resume = new CountDownLatch(1);

  @AfterEach
  void stopWorkers() {
    resume.countDown();
    workers.shutdownNow();
  }

  private static StateStore open(Path folder, long committed, ExecutorService workers) {
    return StateStore.open("query-aggregate", folder,
        new StateStoreConfig(1, 1_000_000, 100, true), 9, 16, committed, workers);
  }

  /** Version 1: keys 0 to {@link #KEYS}, each with its own number. */
  private static StateChanges batch1() {
    StateChanges changes = new StateChanges();
    for (long k = 0; k < KEYS; k++) {
      changes.add(key(k), null, value(k));
    }
    return changes;
  }

  /** Version 2: changes a quarter of the keys, removes a quarter, adds new ones. */
  private static StateChanges batch2() {
    StateChanges changes = new StateChanges();
    for (long k = 0; k < KEYS / 4; k++) {
      changes.add(key(k), value(k), value(k + KEYS));
    }
    for (long k = KEYS / 4; k < KEYS / 2; k++) {
      changes.add(key(k), value(k), null);
    }
    for (long k = KEYS; k < KEYS + KEYS / 8; k++) {
      changes.add(key(k), null, value(k));
    }
    return changes;
  }

  private static Map<Long, Long> version2() {
    Map<Long, Long> expected = new HashMap<>();
    for (long k = 0; k < KEYS + KEYS / 8; k++) {
      if (k < KEYS / 4) {
        expected.put(k, k + KEYS);
      } else if (k >= KEYS / 2) {
        expected.put(k, k);
      }
    }
    return expected;
  }

  private static void runBatch(StateStore store, long version, StateChanges changes,
      ExecutorService workers) {
    store.beginBatch();
    store.apply(version, List.of(changes), workers, "test batch");
    store.afterCommit(version, 100);
  }

  private List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDueSnapshotIsWrittenOnTheMaintenanceThreadWhileTheNextBatchRuns() throws Exception {
    List<String> threads = new ArrayList<>();
    try (StateStore store = open(folder, 0, workers)) {
      AtomicInteger written = new AtomicInteger();
      store.partition(0).afterSnapshotEntry = () -> {
        if (written.incrementAndGet() == 1) {
          Thread t = Thread.currentThread();
          threads.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
          paused.countDown();
          await(resume);
        }
      };
      runBatch(store, 1, batch1(), workers);
      await(paused);
      // Were the snapshot written in the batch, this would wait for the resume below forever.
      assertThat(names(folder)).contains(".in-use");
      runBatch(store, 2, batch2(), workers);
      assertThat(names(folder)).contains(".in-use");
      resume.countDown();
      store.partition(0).awaitSnapshot();
      assertThat(contents(store.partition(0))).isEqualTo(version2());
    }
    assertThat(threads).containsExactly("sluice-state-maintenance-query-aggregate (daemon)");
    assertThat(names(folder)).doesNotContain(".in-use");
    assertThat(names(folder.resolve("0"))).contains("1-2.snapshot");
  }

  @Test
  void aProcessKilledDuringASnapshotRestartsAtTheCommittedVersion() throws Exception {
    Process child = new ProcessBuilder(command(folder)).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      boolean sawPause = false;
      boolean sawCommit = false;
      for (String line; !(sawPause && sawCommit) && (line = lines.readLine()) != null; ) {
        output.append(line).append('\n');
        sawPause |= line.equals(PAUSED);
        sawCommit |= line.equals(COMMITTED);
      }
      assertThat(sawPause && sawCommit).as("the child's output:%n%s", output).isTrue();
    } finally {
      child.destroyForcibly().waitFor();
    }
    Path partition = folder.resolve("0");
    assertThat(names(folder)).contains(".in-use");
    assertThat(names(partition)).contains(".1.snapshot.tmp")
        .noneMatch(n -> n.endsWith(".snapshot"));
    try (StateStore store = open(folder, 2, workers)) {
      assertThat(store.openings()).containsExactly(StatePartition.Opening.RECOVERED);
      assertThat(contents(store.partition(0))).isEqualTo(version2());
      assertThat(names(partition)).noneMatch(n -> n.endsWith(".tmp"));
    }
    Files.delete(partition.resolve("live"));
    try (StateStore store = open(folder, 2, workers)) {
      assertThat(store.openings()).containsExactly(StatePartition.Opening.REBUILT);
      assertThat(contents(store.partition(0))).isEqualTo(version2());
    }
  }

  private static List<String> command(Path folder) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JvmFlags.REQUIRED);
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dchronicle.analytics.disable=true",
        "-cp", System.getProperty("java.class.path"), Child.class.getName(), folder.toString()));
    return command;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a latch the test waits on was never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The process the test kills: commits version 1, whose snapshot pauses on the maintenance
   * thread after one entry, then commits version 2 and waits to be killed.
   */
  static final class Child {
    private Child() {}

    public static void main(String[] args) throws InterruptedException {
      ExecutorService workers = Executors.newFixedThreadPool(2);
      StateStore store = open(Path.of(args[0]), 0, workers);
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      store.partition(0).afterSnapshotEntry = () -> {
        paused.countDown();
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      runBatch(store, 1, batch1(), workers);
      paused.await();
      System.out.println(PAUSED);
      runBatch(store, 2, batch2(), workers);
      System.out.println(COMMITTED);
      System.out.flush();
      new CountDownLatch(1).await();
    }
  }
}
