package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.QueryTester;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** Helpers for the API tests: rows as plain lists, input files, and bounded waits. */
final class ApiTestSupport {
  /** How long {@link #awaitCondition} waits before it fails the test; a bound, not a timing. */
  private static final long WAIT_BOUND_MILLIS = 10_000;

  private ApiTestSupport() {}

  static List<@Nullable Object> row(@Nullable Object... values) {
    return Arrays.asList(values);
  }

  /** The values of each row, for comparing with {@link #row} lists. */
  static List<List<@Nullable Object>> values(List<Row> rows) {
    List<List<@Nullable Object>> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(Arrays.asList(r.values()));
    }
    return out;
  }

  /**
   * How often each row occurs: two results are the same multiset when these maps are equal. Rows
   * may be {@link Row}s, lists of values, or records (compared by their components).
   */
  static Map<List<@Nullable Object>, Integer> multiset(List<?> rows) {
    Map<List<@Nullable Object>, Integer> counts = new HashMap<>();
    for (Object r : rows) {
      counts.merge(valuesOf(r), 1, Integer::sum);
    }
    return counts;
  }

  /** Runs a batch, which must run, and checks that it wrote exactly {@code rows}, in any order. */
  static void batch(QueryTester tester, List<?>... rows) {
    long before = tester.nextBatchId();
    List<Row> actual = tester.runBatch();
    assertThat(tester.nextBatchId()).as("a batch ran").isEqualTo(before + 1);
    assertThat(multiset(actual)).isEqualTo(multiset(List.of(rows)));
  }

  private static List<@Nullable Object> valuesOf(Object row) {
    if (row instanceof Row r) {
      return Arrays.asList(r.values());
    } else if (row instanceof Record record) {
      List<@Nullable Object> values = new ArrayList<>();
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        try {
          values.add(c.getAccessor().invoke(record));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError("cannot read " + c, e);
        }
      }
      return values;
    }
    return new ArrayList<>((List<?>) row);
  }

  /**
   * Waits until {@code condition} holds, for a query running on its own thread; fails the test if
   * it does not hold within a generous bound. The bound only keeps a broken test from hanging.
   */
  static void awaitCondition(String description, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT_BOUND_MILLIS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + description);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + description, e);
      }
    }
  }

  /**
   * Writes {@code lines} to {@code dir/name} in one rename, so that a running file source sees the
   * whole file or none of it; {@code order} sets the modification time, which orders new files.
   */
  static Path writeFile(Path dir, String name, long order, String... lines) {
    try {
      Path temp = dir.resolve("." + name + ".tmp");
      Files.writeString(temp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      Files.setLastModifiedTime(temp, FileTime.fromMillis(1_000_000L + order * 1000));
      return Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One {@link io.sluice.fixtures.Sale} as a line of JSON. */
  static String saleJson(String region, long amount) {
    return "{\"region\":\"" + region + "\",\"product\":\"p\",\"amount\":" + amount
        + ",\"price\":1.0}";
  }

  /**
   * Runs {@code out} over what its input has, to the end (available-now), with the checkpoint at
   * {@code checkpoint}, adding each row written to {@code rows} as (batch id, key, n). With
   * {@code sinkFails}, the sink fails every batch and the query is expected to stop with that
   * failure. Returns the query, stopped.
   */
  static StreamingQuery runAvailableNow(Dataset<io.sluice.fixtures.KeyCount> out,
      OutputMode mode, Path checkpoint, boolean sinkFails, List<List<Object>> rows)
      throws InterruptedException {
    StreamingQuery q = out.writeStream().outputMode(mode)
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.availableNow())
        .foreachBatch((batch, id) -> {
          if (sinkFails) {
            throw new java.io.IOException("disk full");
          }
          for (io.sluice.fixtures.KeyCount c : batch.collectAsList()) {
            rows.add(List.of(id, c.key(), c.n()));
          }
        })
        .start();
    if (sinkFails) {
      org.assertj.core.api.Assertions.assertThatThrownBy(q::awaitTermination)
          .hasStackTraceContaining("disk full");
    } else {
      q.awaitTermination();
    }
    return q;
  }
}
