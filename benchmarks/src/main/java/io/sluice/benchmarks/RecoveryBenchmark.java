package io.sluice.benchmarks;

import io.sluice.api.BatchFunction;
import io.sluice.api.DataStreamWriter;
import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StreamingQuery;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.testkit.ManualClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recovery of an aggregation's state after its process was killed: from creating the engine on the
 * checkpoint the killed run left to the output of the first batch after the restart, with a
 * million and ten million keys of state. JVM start is not included ({@link StartupBenchmark}
 * measures that, with Chronicle Map's first use); here Chronicle is warm from building the state.
 *
 * <p>The state is built once per trial by the real engine, ten batches of a tenth of the keys
 * each and a last batch that updates 10,000 of them; its checkpoint is copied while the query is
 * still running, idle between batches: the files a kill would leave. Each measurement restarts on
 * a fresh copy of those files, changed as its {@link #scenario} says. Each restart prints the heap
 * it used, and how much of the CPU other processes took meanwhile.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Xmx2g"})
public class RecoveryBenchmark {
  /** The generated input's rate: the manual clock moves one second for each 10,000 rows. */
  private static final long ROWS_PER_SECOND = 10_000;
  private static final int BUILD_BATCHES = 10;

  /** Keys of state the killed run left. */
  @Param({"1000000", "10000000"})
  public long keys;

  /**
   * What the killed run left: {@code kill-between-batches}, the live map as it was (it is reused);
   * {@code kill-mid-batch}, the state in use and its last batch not committed (the map is
   * recovered, that batch undone and run again); {@code reboot}, a live map from before the
   * machine restarted (it is rebuilt from the snapshot and change logs).
   */
  @Param({"kill-between-batches", "kill-mid-batch", "reboot"})
  public String scenario;

  /** Whether to drop the page cache before each restart, as a reboot would; needs root. */
  @Param("false")
  public boolean dropCaches;

  private Path work;
  private Path template;
  private long killedAtMillis;
  private final HeapWatch heap = new HeapWatch();
  private final OtherLoad others = new OtherLoad();
  private Path run;
  private Map<Path, Path> probes;
  private Sluice engine;
  private StreamingQuery query;
  private Dataset<Row> firstBatch;

  @Setup(Level.Trial)
  public void buildState() throws Exception {
    work = Files.createTempDirectory("sluice-recovery-");
    template = work.resolve("template");
    Path live = work.resolve("live");
    ManualClock clock = new ManualClock(0);
    try (Sluice builder = Sluice.builder().clock(clock).build()) {
      StreamingQuery building = visitsPerUser(builder, live, (batch, id) -> { }).start();
      // The rate source starts counting at its first look, which must come before the clock moves.
      building.processAllAvailable();
      for (int b = 0; b < BUILD_BATCHES; b++) {
        clock.advance(Duration.ofSeconds(keys / BUILD_BATCHES / ROWS_PER_SECOND));
        building.processAllAvailable();
      }
      clock.advance(Duration.ofSeconds(1));
      building.processAllAvailable();
      StateOperatorProgress state = building.lastProgress().stateOperators().get(0);
      if (state.numRowsTotal() != keys) {
        throw new IllegalStateException("built " + state.numRowsTotal() + " keys, not " + keys);
      }
      killedAtMillis = clock.millis();
      awaitIdle(aggregateState(live));
      copy(live, template);
      building.stop();
    }
    delete(live);
    System.out.printf("%nstate of %,d keys: checkpoint %,d bytes: live maps %,d, snapshots %,d,"
        + " change logs %,d%n", keys, size(template, ""), size(template, ".cmap"),
        size(template, ".snapshot"), size(template, ".delta"));
  }

  /**
   * The query of every run: visits per user. Row {@code i} is a visit of user {@code u<i % keys>},
   * so that the first {@code keys} rows make the state and later ones update it.
   */
  private DataStreamWriter<Row> visitsPerUser(Sluice engine, Path checkpoint,
      BatchFunction<Row> sink) {
    long users = keys;
    return engine.readStream().option("rowsPerSecond", ROWS_PER_SECOND)
        .generate(Visit.class, (i, ts) -> new Visit("u" + i % users, "home", ts))
        .groupBy("user").count()
        .writeStream().outputMode(OutputMode.UPDATE)
        .foreachBatch(sink)
        .option("checkpointLocation", checkpoint.toString());
  }

  @Setup(Level.Invocation)
  public void kill() throws IOException {
    run = work.resolve("run");
    copy(template, run);
    Path state = aggregateState(run);
    switch (scenario) {
      case "kill-between-batches":
        break;
      case "kill-mid-batch":
        Files.createFile(state.resolve(".in-use"));
        Files.delete(run.resolve("commits").resolve(Long.toString(lastBatch(run))));
        break;
      case "reboot":
        for (Path partition : partitions(state)) {
          Path marker = partition.resolve("live");
          String map = CheckpointFile.read(marker).lines().filter(l -> l.startsWith("map="))
              .findFirst().orElseThrow();
          CheckpointFile.write(marker, map + "\nboot=another-boot\n");
        }
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    probes = probeMapFiles(state);
    if (dropCaches) {
      Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
    }
    heap.reset();
    others.start();
  }

  @Benchmark
  public StreamingQuery restartToFirstBatch() throws InterruptedException {
    // A batch killed in the middle is run again; otherwise one second brings 10,000 new rows.
    ManualClock clock = new ManualClock(killedAtMillis
        + (scenario.equals("kill-mid-batch") ? 0 : 1000));
    CountDownLatch written = new CountDownLatch(1);
    engine = Sluice.builder().clock(clock).build();
    query = visitsPerUser(engine, run, (batch, id) -> {
      firstBatch = batch;
      written.countDown();
    }).start();
    while (!written.await(10, TimeUnit.MILLISECONDS)) {
      if (!query.isActive()) {
        query.awaitTermination();
        throw new IllegalStateException("the restarted query stopped before its first batch");
      }
    }
    return query;
  }

  @TearDown(Level.Invocation)
  public void report() throws IOException {
    long busy = others.percent();
    query.processAllAvailable();
    long peak = heap.peak();
    checkFirstBatch();
    long kept = heap.usedAfterGc();
    StateOperatorProgress state = query.lastProgress().stateOperators().get(0);
    boolean rebuilt = replaced(probes);
    query.stop();
    engine.close();
    delete(run);
    System.out.printf("%nrestart: keys %,d, %s: live map %s, heap peak %,d MB, after GC %,d MB,"
        + " state off heap %,d MB; other processes %d%% of the CPU%n", state.numRowsTotal(),
        scenario, rebuilt ? "rebuilt" : "kept", peak >> 20, kept >> 20,
        state.memoryUsedBytes() >> 20, busy);
    if (state.numRowsTotal() != keys || rebuilt != scenario.equals("reboot")) {
      throw new IllegalStateException("the restart did not recover the state as " + scenario
          + " should");
    }
  }

  /**
   * Checks that the first batch counted each of its 10,000 users' second visit: a third would be
   * a killed batch counted twice, a first a user whose state was lost.
   */
  private void checkFirstBatch() {
    List<Row> rows = firstBatch.collectAsList();
    firstBatch = null;
    if (rows.size() != 10_000 || !rows.stream().allMatch(r -> r.getLong("count") == 2)) {
      throw new IllegalStateException("the first batch after the restart counted wrong: "
          + rows.subList(0, Math.min(rows.size(), 5)) + "...");
    }
  }

  @TearDown(Level.Trial)
  public void deleteState() throws IOException {
    delete(work);
  }

  private static Path aggregateState(Path checkpoint) {
    return checkpoint.resolve("state").resolve("0").resolve("aggregate");
  }

  private static List<Path> partitions(Path state) throws IOException {
    try (Stream<Path> files = Files.list(state)) {
      return files.filter(Files::isDirectory).sorted().toList();
    }
  }

  /**
   * Links each partition's live map file under a second name, outside the state: a rebuilt map is
   * a new file, which the link is not (and while the link holds the old file's inode, the new
   * file cannot be given the same one).
   */
  private Map<Path, Path> probeMapFiles(Path state) throws IOException {
    Map<Path, Path> links = new HashMap<>();
    try (Stream<Path> all = Files.walk(state)) {
      for (Path map : (Iterable<Path>) all.filter(f -> f.toString().endsWith(".cmap"))::iterator) {
        links.put(Files.createLink(work.resolve("probe-" + links.size()), map), map);
      }
    }
    return links;
  }

  /** Whether a probed map file is gone or replaced; deletes the probes. */
  private static boolean replaced(Map<Path, Path> links) throws IOException {
    boolean replaced = false;
    for (Map.Entry<Path, Path> link : links.entrySet()) {
      Path map = link.getValue();
      replaced |= !Files.exists(map) || !Files.isSameFile(link.getKey(), map);
      Files.delete(link.getKey());
    }
    return replaced;
  }

  /**
   * Waits until no batch and no background snapshot uses the state, its {@code .in-use} marker
   * gone: what a process killed between batches leaves is a state at rest, and a snapshot still
   * being written would be copied half-done or not at all.
   */
  private static void awaitIdle(Path state) throws InterruptedException {
    long bound = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (Files.exists(state.resolve(".in-use"))) {
      if (System.nanoTime() > bound) {
        throw new IllegalStateException("the state in " + state + " stayed in use");
      }
      Thread.sleep(10);
    }
  }

  private static long lastBatch(Path checkpoint) throws IOException {
    try (Stream<Path> commits = Files.list(checkpoint.resolve("commits"))) {
      return commits.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d+"))
          .mapToLong(Long::parseLong).max().orElseThrow();
    }
  }

  /**
   * Copies a checkpoint and syncs the copy, so that no write-back of it runs during the
   * measurement: a killed process's files have usually long been written.
   */
  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path f : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
          try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
            channel.force(true);
          }
        }
      }
    }
  }

  /** The bytes of the files in {@code directory} whose names end with {@code suffix}. */
  private static long size(Path directory, String suffix) throws IOException {
    try (Stream<Path> all = Files.walk(directory)) {
      return all.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(suffix))
          .mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> all = Files.walk(directory)) {
      for (Path f : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(f);
      }
    }
  }
}
