package io.sluice.benchmarks;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.window;

import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.connector.Sink;
import io.sluice.internal.exec.ApiBridge;
import io.sluice.internal.exec.MicroBatchExecution;
import io.sluice.testkit.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
 * The fixed cost of a micro-batch: what the engine pays per batch whatever the batch holds. Each
 * case drives the query's batches in the benchmark's thread, as {@code QueryTester} does, with a
 * manual clock, so that every invocation does the same work:
 *
 * <ul>
 *   <li>{@code idle}: a trigger that finds no new data and runs no batch, what an idle query pays
 *       each time it looks;
 *   <li>{@code oneRowBatch}: one row through a windowed count in append mode (the batch also
 *       closes the window of the row before, which the watermark passed);
 *   <li>{@code oneRowThenNoDataBatch}: one row, then the batch without data that runs because
 *       the watermark moved and that closes the row's window.
 * </ul>
 *
 * <p>With {@code store=checkpoint} each batch logs its offsets, versions its state and commits in a
 * checkpoint folder, each file synced and renamed into place (the default); {@code
 * checkpoint-unsynced} leaves out the syncs ({@code Sluice.builder().syncCheckpoint(false)});
 * {@code memory} has no checkpoint, state lives in memory only. The sink counts rows and keeps
 * nothing, so that the figures are the engine's.
 *
 * <p>{@link #main} measures the same cases without JMH, for the short "run everything" command:
 * {@code java -cp benchmarks.jar io.sluice.benchmarks.BatchCostBenchmark [seconds]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true",
    "-Xmx1g"})
public class BatchCostBenchmark {
  /** Where the query keeps its progress and state: {@code checkpoint}, synced or not, or memory. */
  @Param({"checkpoint", "checkpoint-unsynced", "memory"})
  public String store;

  private WindowedQuery query;

  @Setup(Level.Trial)
  public void start() {
    query = new WindowedQuery(store);
  }

  @TearDown(Level.Trial)
  public void stop() {
    query.close();
  }

  @Benchmark
  public Object idle() {
    return query.look();
  }

  @Benchmark
  public Object oneRowBatch() {
    query.addRow();
    return query.runBatch();
  }

  @Benchmark
  public Object oneRowThenNoDataBatch() {
    query.addRow();
    query.runBatch();
    return query.runBatch();
  }

  /**
   * A count per one-second window and page over a generated stream of one row per second of a
   * manual clock, with a watermark delay of 0: each row moves the watermark past the window of the
   * row before.
   */
  static final class WindowedQuery implements AutoCloseable {
    private final ManualClock clock = new ManualClock(0);
    private final Sluice engine;
    private final MicroBatchExecution batches;
    private final CountingSink sink = new CountingSink();
    private final Path folder;

    WindowedQuery(String store) {
      try {
        folder = Files.createTempDirectory("batch-cost");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      engine = Sluice.builder().clock(clock)
          .syncCheckpoint(!store.equals("checkpoint-unsynced")).build();
      var writer = engine.readStream().option("rowsPerSecond", 1)
          .generate(Visit.class, (i, ts) -> new Visit("u" + (i % 10), "p" + (i % 3), ts))
          .withWatermark("ts", "0 seconds")
          .groupBy(window(col("ts"), "1 second"), col("page"))
          .agg(count("*").as("views"))
          .writeStream().outputMode(OutputMode.APPEND).queryName("batch-cost");
      if (!store.equals("memory")) {
        writer.option("checkpointLocation", folder.resolve("checkpoint").toString());
      }
      batches = ApiBridge.Holder.get().prepare(writer, sink);
      // The source fixes its second 0 at the first look; then two rows so that state, logs and
      // the window emission have all run once before anything is measured.
      look();
      for (int i = 0; i < 3; i++) {
        addRow();
        while (batches.runBatch() != null) {
          // the first rows do not all move the watermark; from here on each one does
        }
      }
    }

    /** Makes one more row due. */
    void addRow() {
      clock.advance(Duration.ofSeconds(1));
    }

    /** Looks for new data without any being due: no batch runs. */
    StreamingQueryProgress look() {
      StreamingQueryProgress progress = batches.runBatch();
      if (progress != null) {
        throw new IllegalStateException("a batch ran without new data: " + progress.json());
      }
      return progress;
    }

    /** Runs the batch that is due: with the new row, or without data after it. */
    StreamingQueryProgress runBatch() {
      StreamingQueryProgress progress = batches.runBatch();
      if (progress == null) {
        throw new IllegalStateException("no batch ran");
      }
      return progress;
    }

    long rowsWritten() {
      return sink.rows;
    }

    @Override
    public void close() {
      try {
        batches.close();
      } finally {
        engine.close();
        deleteTree(folder);
      }
    }
  }

  /** Counts the rows each batch writes, keeps nothing. */
  static final class CountingSink implements Sink {
    long rows;

    @Override
    public String description() {
      return "CountingSink";
    }

    @Override
    public void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks, OutputMode mode) {
      for (ColumnBatch chunk : chunks) {
        rows += chunk.size();
      }
    }
  }

  static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary folder left behind is harmless.
    }
  }

  /**
   * Measures each case for about {@code args[0]} seconds (default 3) after a warm-up of the same
   * length, timing every batch alone, and prints one line per case with the median:
   * {@code bench empty-batch-<case> us=<X>}.
   */
  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    long budget = (long) (seconds * 1e9);
    StringBuilder lines = new StringBuilder();
    for (String store : new String[] {"checkpoint", "checkpoint-unsynced", "memory"}) {
      try (WindowedQuery query = new WindowedQuery(store)) {
        long[][] warm = measure(query, budget);
        long cpuBefore = processCpuNanos();
        long[][] timed = measure(query, budget);
        long cpu = processCpuNanos() - cpuBefore;
        // CPU time of the whole process per look + pair of batches: less sensitive than the
        // elapsed time to other processes on the machine, and it counts the workers' share.
        System.err.printf("%s: %d pairs of batches measured after %d warm-up, %d rows out,"
                + " process CPU %.1f us per look and pair%n", store, timed[1].length,
            warm[1].length, query.rowsWritten(), cpu / 1e3 / Math.max(1, timed[1].length));
        lines.append(line("idle-" + store, timed[0]))
            .append(line("one-row-" + store, timed[1]))
            .append(line("no-data-" + store, timed[2]));
      }
    }
    System.out.print(lines);
  }

  /** For about {@code budget} ns: a look without data, a batch of one row, a batch without. */
  private static long[][] measure(WindowedQuery query, long budget) {
    int capacity = 1 << 20;
    long[] idle = new long[capacity];
    long[] row = new long[capacity];
    long[] noData = new long[capacity];
    int n = 0;
    long end = System.nanoTime() + budget;
    while (n < capacity && System.nanoTime() < end) {
      long t0 = System.nanoTime();
      query.look();
      long t1 = System.nanoTime();
      query.addRow();
      long t2 = System.nanoTime();
      query.runBatch();
      long t3 = System.nanoTime();
      query.runBatch();
      long t4 = System.nanoTime();
      idle[n] = t1 - t0;
      row[n] = t3 - t2;
      noData[n] = t4 - t3;
      n++;
    }
    return new long[][] {Arrays.copyOf(idle, n), Arrays.copyOf(row, n), Arrays.copyOf(noData, n)};
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String line(String name, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double median = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2] / 1e3;
    return String.format("bench empty-batch-%s us=%.1f%n", name, median);
  }
}
