package io.sluice.api;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Tick;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.connector.Sink;
import io.sluice.internal.exec.ApiBridge;
import io.sluice.internal.exec.MicroBatchExecution;
import io.sluice.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * State stays bounded by the watermark however long a stream runs: three million events over a
 * month of event time pass through a windowed aggregation and a deduplication, and the rows held
 * in state, like the heap, stay as small as the delay, the window, the keys and one batch allow,
 * where without eviction they would grow with every event.
 *
 * <p>The events come from a generated source on a manual clock, so that each second of the clock
 * is one batch of exactly {@link #PER_BATCH} events and nothing is kept on the heap that a memory
 * stream or a memory sink would hold for the whole run; the query's output is counted as it is
 * written and then dropped.
 */
class WatermarkBoundsStateTest {
  private static final int EVENTS = 3_000_000;
  private static final int PER_BATCH = 100_000;
  private static final int BATCHES = EVENTS / PER_BATCH;
  private static final int KEYS = 300;
  /** Event {@code i} belongs at {@code T0 + i * STEP}: 3,000,000 steps are 31.25 days. */
  private static final long STEP_MS = 900;
  /** The event time a batch spans: 25 hours. */
  private static final long BATCH_SPAN_MS = PER_BATCH * STEP_MS;
  private static final long WINDOW_MS = 60_000;
  private static final long DELAY_MS = 10_000;
  /**
   * How far any event that is not a straggler lies from its slot {@code T0 + i * STEP}: at most
   * 9 s before it (eight steps back, and a duplicate repeats an event up to two steps earlier) and
   * less than a step after it; see {@link #event}. So such an event is less than 9 s older than
   * the newest event of the batches before it and never late for the 10 s delay.
   */
  private static final long SLACK_MS = 10_000;
  /** Stragglers lag more than a batch spans, so the previous batch's watermark has passed them. */
  private static final long STRAGGLER_LAG_MS = 30 * 3_600_000L;
  private static final long T0 = Tick.T0.toEpochMilli();
  /** After the events: one row far ahead, whose watermark closes every window they opened. */
  private static final long FLUSH_TIME = T0 + 40L * 24 * 3_600_000;

  /**
   * Rows dropped as late: every thousandth event after the first batch (which runs before there is
   * a watermark). They are 15 minutes of event time apart, each in a window of its own, so the
   * aggregation, which counts late groups as Spark does, counts as many as the deduplication.
   */
  private static final long STRAGGLERS = (EVENTS - PER_BATCH) / 1_000;
  /** Rows repeating the one before: every tenth, and the first of each batch after the first. */
  private static final long DUPLICATES = EVENTS / 10 + BATCHES - 1;
  private static final long HEAP_GROWTH_LIMIT = 64L << 20;

  private static final String[] KEY_NAMES = new String[KEYS];

  static {
    for (int k = 0; k < KEYS; k++) {
      KEY_NAMES[k] = String.format(Locale.ROOT, "k%03d", k);
    }
  }

  private final ManualClock clock = new ManualClock(0);
  private final Sluice engine = Sluice.builder().clock(clock).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private static boolean isStraggler(long i) {
    return i >= PER_BATCH && i % 1_000 == 500;
  }

  /** Event {@code i} repeats event {@code i - 1}: within a batch, or across a batch boundary. */
  private static boolean isDuplicate(long i) {
    return i % 10 == 9 || (i > 0 && i % PER_BATCH == 0);
  }

  /**
   * Event {@code i}: a pseudo-random key of {@link #KEYS}, at its slot moved back by up to eight
   * steps and forward by {@code i % STEP} ms. No two events that are not duplicates share an event
   * time (equal times would need equal {@code i % STEP}, so indices at least {@code STEP} apart,
   * whose slots differ by more than eight steps), so every event is its own deduplication key.
   */
  private static Tick event(long i) {
    if (i >= EVENTS) {
      return new Tick("flush", Instant.ofEpochMilli(FLUSH_TIME), 1);
    }
    if (isDuplicate(i)) {
      return event(i - 1);
    }
    long mixed = mix(i);
    long time = T0 + (i - Math.floorMod(mixed, 9)) * STEP_MS + i % STEP_MS;
    if (isStraggler(i)) {
      time -= STRAGGLER_LAG_MS;
    }
    return new Tick(KEY_NAMES[Math.floorMod(mixed >>> 8, KEYS)], Instant.ofEpochMilli(time), 1);
  }

  /** SplitMix64's finalizer: deterministic, well spread. */
  private static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private Dataset<Tick> events() {
    return engine.readStream().option("rowsPerSecond", PER_BATCH)
        .generate(Tick.class, (i, ts) -> event(i));
  }

  @Test
  void aWindowedAppendAggregationHoldsOnlyTheWindowsTheWatermarkHasNotClosed() {
    Dataset<Row> counts = events().withWatermark("time", "10 seconds")
        .groupBy(window(col("time"), "1 minute"), col("key")).agg(count("*").as("n"));
    try (Run run = new Run(counts.writeStream().outputMode(OutputMode.APPEND), 2)) {
      run.events();
      run.flush();

      // Rows held are (window, key) groups whose window the watermark has not passed.
      //
      // Between batches, once the no-data batch has moved eviction to the newest watermark
      // max - D, a key holds only windows ending after max - D and starting at or before max (no
      // row is later than max): windows starting in (max - D - W, max], at most ceil((D + W) / W)
      // per key. With D = 10 s, W = 1 min and 300 keys: 2 * 300 = 600 rows.
      long betweenBatches = KEYS * ceilDiv(DELAY_MS + WINDOW_MS, WINDOW_MS);
      // During a data batch eviction still uses the watermark the batch started with (Spark's
      // rule), max' - D with max' the previous batch's newest event time, so the batch's own
      // windows stay: starts in (max' - D - W, max], where max - max' is at most a batch's span
      // plus the slack on either end, 25 h + 20 s: ceil((S + 2 slack + D + W) / W) = 1502 windows
      // per key, 450,600 rows. The groups are also at most those held before the batch plus one
      // per row of the batch: 600 + 100,000. Without eviction they would grow to some 2.4 million,
      // one for every window and key that saw an event.
      long windowsInABatch = KEYS * ceilDiv(BATCH_SPAN_MS + 2 * SLACK_MS + DELAY_MS + WINDOW_MS,
          WINDOW_MS);
      assertThat(run.maxBetweenBatches).isLessThanOrEqualTo(betweenBatches);
      assertThat(run.maxRows).isLessThanOrEqualTo(windowsInABatch)
          .isLessThanOrEqualTo(betweenBatches + PER_BATCH);
      assertThat(run.finalRows).isLessThanOrEqualTo(betweenBatches);

      // Complete: once the flush row's watermark has closed every window, the counts emitted add up
      // to every event that was not late, each window emitted once.
      assertThat(run.dropped).isEqualTo(STRAGGLERS);
      assertThat(run.summed).isEqualTo(EVENTS - STRAGGLERS);
      assertThat(run.flushedRows).as("only the flush row's window is left").isEqualTo(1);
      run.checkHeapAndPrint("windowed aggregation");
    }
  }

  @Test
  void deduplicationOnTheEventTimeHoldsOnlyKeysTheWatermarkHasNotPassed() {
    Dataset<Tick> firsts = events().withWatermark("time", "10 seconds")
        .dropDuplicates("key", "time");
    try (Run run = new Run(firsts.writeStream().outputMode(OutputMode.APPEND), -1)) {
      run.events();

      // Rows held are (key, time) pairs with a time after the eviction watermark, at most one per
      // event, as no two events share a time unless one repeats the other.
      //
      // Between batches the watermark is max - D, with max the newest event time. An event whose
      // time is after it has a slot after max - D - slack, and max is at most the last slot plus
      // the slack: its slot is within D + 2 slack = 30 s of the last, ceil(30 s / 0.9 s) = 34
      // events.
      long betweenBatches = ceilDiv(DELAY_MS + 2 * SLACK_MS, STEP_MS);
      // During a batch the events of the batch stay, all of them newer than the watermark it
      // started with: at most those 34 and the batch's 100,000. Without eviction the state would
      // hold every one of the ~2.7 million distinct events.
      assertThat(run.maxBetweenBatches).isLessThanOrEqualTo(betweenBatches);
      assertThat(run.maxRows).isLessThanOrEqualTo(betweenBatches + PER_BATCH);
      assertThat(run.finalRows).isLessThanOrEqualTo(betweenBatches);

      // Exactly the first of each event passes: not its repeats, whether in the same batch or the
      // next (the latter found in state), and not the stragglers.
      assertThat(run.dropped).isEqualTo(STRAGGLERS);
      assertThat(run.emitted).isEqualTo(EVENTS - DUPLICATES - STRAGGLERS);
      run.checkHeapAndPrint("deduplication");
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Runs a query over the events one batch at a time in the test's thread, as {@link
   * io.sluice.testkit.QueryTester} does, but with a sink that counts what it is given and keeps
   * nothing: a memory table of millions of rows would hide what state costs on the heap.
   */
  private final class Run implements Sink, AutoCloseable {
    private final MicroBatchExecution batches;
    /** The output column whose values {@link #summed} adds up, or -1. */
    private final int sumColumn;
    private final long started = System.nanoTime();
    private final long startedCpu = processCpuNanos();
    long emitted;
    long summed;
    long dropped;
    long maxRows;
    long maxBetweenBatches;
    long finalRows;
    long flushedRows = -1;
    long heapAtQuarter;
    long heapAtEnd;
    private StreamingQueryProgress last;

    Run(DataStreamWriter<?> writer, int sumColumn) {
      this.sumColumn = sumColumn;
      this.batches = ApiBridge.Holder.get().prepare(writer, this);
    }

    /**
     * Feeds every event: one clock second per batch, each followed by the no-data batch that
     * moves eviction to the new watermark; records the state after every batch.
     */
    void events() {
      // The rate source counts seconds from the first time it is asked: now, with nothing due.
      assertThat(batches.runBatch()).isNull();
      for (int b = 0; b < BATCHES; b++) {
        List<StreamingQueryProgress> ran = nextSecond();
        assertThat(ran).extracting(StreamingQueryProgress::numInputRows)
            .as("batch %d, then a no-data batch", b).containsExactly((long) PER_BATCH, 0L);
        maxBetweenBatches = Math.max(maxBetweenBatches, rowsAfter(ran.get(1)));
        if (b + 1 == BATCHES / 4) {
          heapAtQuarter = usedHeapAfterGc();
        }
      }
      finalRows = rowsAfter(last);
      heapAtEnd = usedHeapAfterGc();
    }

    /** One more second: a batch of flush rows, whose watermark then closes every earlier window. */
    void flush() {
      assertThat(nextSecond()).extracting(StreamingQueryProgress::numInputRows)
          .containsExactly((long) PER_BATCH, 0L);
      flushedRows = rowsAfter(last);
    }

    private List<StreamingQueryProgress> nextSecond() {
      clock.advance(Duration.ofSeconds(1));
      List<StreamingQueryProgress> ran = new ArrayList<>();
      for (StreamingQueryProgress p = batches.runBatch(); p != null; p = batches.runBatch()) {
        ran.add(p);
        last = p;
        maxRows = Math.max(maxRows, rowsAfter(p));
        dropped += p.stateOperators().get(0).numRowsDroppedByWatermark();
      }
      return ran;
    }

    private static long rowsAfter(StreamingQueryProgress p) {
      return p.stateOperators().get(0).numRowsTotal();
    }

    void checkHeapAndPrint(String what) {
      // Wall time and the process's CPU time, for reading only: the machine may be shared.
      System.out.printf(Locale.ROOT, "WatermarkBoundsStateTest %s: events=%d, max state rows=%d,"
          + " max between batches=%d, final state rows=%d, heap MB at quarter=%.1f, at end=%.1f,"
          + " %.1f s (CPU %.1f s)%n", what, EVENTS, maxRows, maxBetweenBatches, finalRows,
          heapAtQuarter / 1048576.0, heapAtEnd / 1048576.0,
          (System.nanoTime() - started) / 1e9, (processCpuNanos() - startedCpu) / 1e9);
      assertThat(heapAtEnd - heapAtQuarter).as("heap growth from the first quarter to the end")
          .isLessThan(HEAP_GROWTH_LIMIT);
    }

    @Override
    public void close() {
      batches.close();
    }

    @Override
    public String description() {
      return "CountingSink";
    }

    @Override
    public void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks, OutputMode mode) {
      for (ColumnBatch chunk : chunks) {
        emitted += chunk.size();
        if (sumColumn >= 0) {
          long[] values = chunk.longs(sumColumn).values;
          for (int r = 0; r < chunk.size(); r++) {
            summed += values[r];
          }
        }
      }
    }
  }
}
