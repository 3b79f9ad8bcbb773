package io.sluice.testkit;

import io.sluice.api.DataStreamWriter;
import io.sluice.api.Row;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.internal.connector.MemorySink;
import io.sluice.internal.exec.ApiBridge;
import io.sluice.internal.exec.MicroBatchExecution;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Runs a streaming query one micro-batch at a time in the calling thread, so that a test can feed
 * input, run a batch and check exactly what that batch wrote; no threads, no sleeps.
 *
 * <pre>{@code
 * MemoryStream<Click> clicks = engine.memoryStream(Click.class);
 * try (QueryTester tester = QueryTester.of(
 *     clicks.toDataset().groupBy("page").count().writeStream().outputMode(OutputMode.UPDATE))) {
 *   clicks.addData(new Click("ann", "home", 1L), new Click("bob", "home", 2L));
 *   tester.expectBatch(List.of("home", 2L));
 * }
 * }</pre>
 *
 * <p>The query is compiled exactly as {@code start()} would compile it; only the sink differs: a
 * memory table the tester reads.
 */
public final class QueryTester implements AutoCloseable {
  private final MicroBatchExecution batches;
  private final MemorySink sink = new MemorySink("tester");
  private @Nullable StreamingQueryProgress lastProgress;

  private QueryTester(DataStreamWriter<?> writer) {
    this.batches = ApiBridge.Holder.get().prepare(writer, sink);
  }

  /** A tester for the query {@code writer} describes (its output mode and name are used). */
  public static QueryTester of(DataStreamWriter<?> writer) {
    return new QueryTester(writer);
  }

  /**
   * Runs one micro-batch over the data added since the last one and returns the rows it wrote; an
   * empty list, and no batch, when there is no new data.
   */
  public List<Row> runBatch() {
    StreamingQueryProgress progress = batches.runBatch();
    if (progress == null) {
      return List.of();
    }
    lastProgress = progress;
    return sink.lastBatch();
  }

  /**
   * Runs a batch and checks that it wrote exactly these rows, in any order; a {@code byte[]} value
   * (a BINARY column) matches an array of the same bytes.
   */
  public void expectBatch(List<?>... rows) {
    List<Row> actual = runBatch();
    List<List<Object>> expected = new ArrayList<>();
    for (List<?> row : rows) {
      expected.add(comparable(row));
    }
    assertSameRows(expected, actual);
  }

  /** Checks that there is no new data, so that no batch runs. */
  public void expectNoBatch() {
    long before = batches.nextBatchId();
    List<Row> rows = runBatch();
    if (batches.nextBatchId() != before) {
      throw new AssertionError("expected no batch, but batch " + before + " ran and wrote "
          + rows);
    }
  }

  /** The sink's table: in complete mode the whole result, otherwise every row written so far. */
  public List<Row> table() {
    return sink.rows();
  }

  public @Nullable StreamingQueryProgress lastProgress() {
    return lastProgress;
  }

  /** The Java source of every generated stage of the query, in order. */
  public String generatedSource() {
    return batches.generatedStages().stream().map(s -> s.source())
        .collect(Collectors.joining("\n"));
  }

  /**
   * For each generated stage, in order, what compiled it: {@code "javac (build time)"} for the
   * classes the annotation processor wrote, or {@code "Janino"}.
   */
  public List<String> compilers() {
    return batches.compilers();
  }

  /** The id the next batch will get. */
  public long nextBatchId() {
    return batches.nextBatchId();
  }

  private static void assertSameRows(List<List<Object>> expected, List<Row> actual) {
    List<List<Object>> actualValues = new ArrayList<>();
    for (Row r : actual) {
      actualValues.add(comparable(java.util.Arrays.asList(r.values())));
    }
    if (!counts(expected).equals(counts(actualValues))) {
      throw new AssertionError("batch rows differ\n  expected (any order): " + expected
          + "\n  actual:               " + actualValues);
    }
  }

  /** The values of a row, each byte array in a holder that compares and prints its bytes. */
  private static List<Object> comparable(List<?> row) {
    List<Object> values = new ArrayList<>();
    for (Object v : row) {
      values.add(v instanceof byte[] b ? new Bytes(b) : v);
    }
    return values;
  }

  /** A BINARY value as rows compare it, by content, and printed as Spark shows it: [61 62]. */
  private record Bytes(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && java.util.Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "[" + java.util.HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes) + "]";
    }
  }

  private static Map<List<Object>, Integer> counts(Collection<List<Object>> rows) {
    Map<List<Object>, Integer> counts = new HashMap<>();
    for (List<Object> row : rows) {
      counts.merge(row, 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public void close() {
    batches.close();
  }
}
