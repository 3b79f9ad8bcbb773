package io.sluice.benchmarks;

import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.max;

import io.sluice.api.DataStreamWriter;
import io.sluice.api.Dataset;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end latency with the default trigger at a steady, low input rate: a producer thread adds
 * records to a {@link MemoryStream} at a fixed rate, each carrying the {@code System.nanoTime} at
 * which it was added, and the {@code foreachBatch} sink takes {@code nanoTime - arrival} for each
 * row it receives. Cases:
 *
 * <ul>
 *   <li>{@code stateless}: a filter and a projection, each input row one output row, in append
 *       mode without a checkpoint;
 *   <li>{@code stateful}: a count per key in update mode with a checkpoint location, synced each
 *       batch (the default); keys repeat only every 100,000 records, so that a batch's row for a
 *       key is the one record of that key in it, and its {@code max(arrivalNanos)} is that
 *       record's arrival;
 *   <li>{@code stateful-unsynced}: the same with {@code Sluice.builder().syncCheckpoint(false)}.
 * </ul>
 *
 * <p>Each case warms up, measures for the given seconds, then waits until every measured record
 * has reached the sink. It prints {@code bench latency-<case> p50_us=<X> p99_us=<Y>} per case;
 * p99.9, the maximum and the batch count go to standard error.
 *
 * <pre>
 * java [module flags] -cp benchmarks.jar io.sluice.benchmarks.LatencyBenchmark [seconds [rate...]]
 * </pre>
 *
 * <p>Defaults: 20 seconds measured after 5 of warm-up, at 10,000 records per second. Not a JMH
 * benchmark: a latency distribution over a paced input is not an operation JMH can repeat.
 */
public final class LatencyBenchmark {
  private static final int KEYS = 100_000;

  private LatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    double warmUp = Math.min(5, Math.max(1, seconds / 4));
    List<Long> rates = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      rates.add(Long.parseLong(args[i]));
    }
    if (rates.isEmpty()) {
      rates.add(10_000L);
    }
    StringBuilder lines = new StringBuilder();
    for (long rate : rates) {
      String suffix = rates.size() > 1 || rate != 10_000 ? "-" + rate : "";
      lines.append(run("stateless" + suffix, rate, warmUp, seconds, false, true));
      lines.append(run("stateful" + suffix, rate, warmUp, seconds, true, true));
      lines.append(run("stateful-unsynced" + suffix, rate, warmUp, seconds, true, false));
    }
    System.out.print(lines);
  }

  private static String run(String name, long rate, double warmUp, double seconds,
      boolean stateful, boolean sync) throws Exception {
    Path checkpoint = Files.createTempDirectory("latency");
    try (Sluice engine = Sluice.builder().syncCheckpoint(sync).build()) {
      MemoryStream<Arrival> input = engine.memoryStream(Arrival.class);
      // Times are fixed once the query has started: compiling it and opening its state are not
      // what is measured.
      Latencies latencies = new Latencies((int) (rate * (seconds + 1)) + 1024);
      DataStreamWriter<Row> writer = query(input.toDataset(), stateful).writeStream()
          .outputMode(stateful ? OutputMode.UPDATE : OutputMode.APPEND);
      if (stateful) {
        writer.option("checkpointLocation", checkpoint.resolve("cp").toString());
      }
      StreamingQuery query = writer.foreachBatch(latencies::record).start();
      long start = System.nanoTime() + 200_000_000L;
      long measureFrom = start + (long) (warmUp * 1e9);
      long measureTo = measureFrom + (long) (seconds * 1e9);
      latencies.measure(measureFrom, measureTo);
      try {
        Producer producer = new Producer(input, rate, start, measureTo);
        producer.run();
        latencies.awaitAll(producer.measuredRecords(measureFrom), 10_000);
        System.err.printf("%s: rate %d/s, %d records measured in %d batches (%d in all),"
                + " p99.9 %.0f us, max %.0f us at %.1f s%n", name, rate, latencies.count(),
            latencies.measuredBatches(), query.recentProgress().isEmpty() ? 0
                : query.lastProgress().batchId() + 1,
            latencies.percentile(99.9), latencies.percentile(100), latencies.slowestAtSeconds());
        return String.format("bench latency-%s p50_us=%.0f p99_us=%.0f%n", name,
            latencies.percentile(50), latencies.percentile(99));
      } finally {
        query.stop();
      }
    } finally {
      BatchCostBenchmark.deleteTree(checkpoint);
    }
  }

  private static Dataset<Row> query(Dataset<Arrival> input, boolean stateful) {
    if (!stateful) {
      return input.filter("seq >= 0").select("seq", "arrivalNanos");
    }
    return input.groupBy("key").agg(count("*").as("n"), max("arrivalNanos").as("arrivalNanos"));
  }

  /** Adds records at a fixed rate from {@code start} until {@code end}, in the calling thread. */
  private static final class Producer {
    private final MemoryStream<Arrival> input;
    private final long rate;
    private final long start;
    private final long end;
    private long next;

    Producer(MemoryStream<Arrival> input, long rate, long start, long end) {
      this.input = input;
      this.rate = rate;
      this.start = start;
      this.end = end;
    }

    void run() {
      long now;
      while ((now = System.nanoTime()) < end) {
        long due = (now - start) * rate / 1_000_000_000L;
        if (due > next) {
          List<Arrival> batch = new ArrayList<>((int) (due - next));
          long arrival = System.nanoTime();
          for (; next < due; next++) {
            batch.add(new Arrival(next, "k" + (next % KEYS), arrival));
          }
          input.addData(batch);
        }
        // The next record's time, or sooner: parking overshoots by tens of microseconds.
        long wait = start + (next + 1) * 1_000_000_000L / rate - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
    }

    /** Records added at or after {@code from}, which the sink must see before the case ends. */
    long measuredRecords(long from) {
      long first = Math.max(0, (from - start) * rate / 1_000_000_000L);
      return next - first;
    }
  }

  /** The latency of each row the sink received whose arrival fell in the measured window. */
  private static final class Latencies {
    private long from = Long.MAX_VALUE;
    private long to = Long.MAX_VALUE;
    private final long[] nanos;
    private int n;
    private long measuredBatches;
    /** When the slowest measured record arrived, in ns after {@link #from}. */
    private long slowestAt;
    private long maxSoFar;

    Latencies(int capacity) {
      this.nanos = new long[capacity];
    }

    synchronized void measure(long from, long to) {
      this.from = from;
      this.to = to;
    }

    synchronized double slowestAtSeconds() {
      return slowestAt / 1e9;
    }

    /** The foreachBatch function: one latency per row, all against the same moment. */
    void record(Dataset<Row> batch, long batchId) {
      List<Row> rows = batch.collectAsList();
      long now = System.nanoTime();
      boolean measured = false;
      synchronized (this) {
        for (Row row : rows) {
          long arrival = row.getLong("arrivalNanos");
          if (arrival >= from && arrival < to && n < nanos.length) {
            if (n == 0 || now - arrival > maxSoFar) {
              maxSoFar = now - arrival;
              slowestAt = arrival - from;
            }
            nanos[n++] = now - arrival;
            measured = true;
          }
        }
        if (measured) {
          measuredBatches++;
        }
        notifyAll();
      }
    }

    synchronized void awaitAll(long expected, long timeoutMillis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (n < expected && System.currentTimeMillis() < deadline) {
        wait(100);
      }
      if (n < expected) {
        System.err.println("only " + n + " of " + expected + " measured records reached the sink");
      }
    }

    synchronized int count() {
      return n;
    }

    synchronized long measuredBatches() {
      return measuredBatches;
    }

    /** The p-th percentile in microseconds (100: the maximum). */
    synchronized double percentile(double p) {
      if (n == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(nanos, n);
      Arrays.sort(sorted);
      int at = (int) Math.min(n - 1, Math.ceil(p / 100 * n) - 1);
      return sorted[Math.max(0, at)] / 1e3;
    }
  }
}
