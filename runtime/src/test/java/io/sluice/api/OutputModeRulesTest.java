package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Click;
import io.sluice.fixtures.PageCount;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structured Streaming's rules on output modes, sinks and bounded versus streaming datasets: what
 * each output mode accepts, and the error a query gets, before it starts, for what it does not.
 */
class OutputModeRulesTest {
  private final Sluice engine = Sluice.create();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  /** A stateless query shape, the rows it makes of {@link #input()}, and its name. */
  private record Stateless(String name, Function<Dataset<Click>, Dataset<?>> query,
      List<List<Object>> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Click[] input() {
    return new Click[] {Click.of("ann", "home", 1), new Click("bob", "cart", 2, 30)};
  }

  static Stream<Stateless> statelessQueries() {
    return Stream.of(
        new Stateless("select", d -> d.select("page", "ts"),
            List.of(row("home", 1L), row("cart", 2L))),
        new Stateless("filter", d -> d.filter("ts > 1"), List.of(row("bob", "cart", 2L, 30))),
        new Stateless("withColumn", d -> d.withColumn("twice", expr("ts * 2")).select("twice"),
            List.of(row(2L), row(4L))),
        new Stateless("drop", d -> d.drop("user", "ts", "durationMs"),
            List.of(row("home"), row("cart"))),
        new Stateless("map", d -> d.map(c -> new PageCount(c.page(), c.ts()), PageCount.class),
            List.of(row("home", 1L), row("cart", 2L))),
        new Stateless("flatMap", d -> d.flatMap(c -> List.of(new PageCount(c.user(), 0),
            new PageCount(c.page(), 1)), PageCount.class),
            List.of(row("ann", 0L), row("home", 1L), row("bob", 0L), row("cart", 1L))));
  }

  static Stream<Arguments> statelessQueriesInAppendAndUpdate() {
    return statelessQueries().flatMap(q -> Stream.of(Arguments.of(q, OutputMode.APPEND),
        Arguments.of(q, OutputMode.UPDATE)));
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertError(
      ThrowingCallable call, ErrorKind kind) {
    return assertThatThrownBy(call).isInstanceOf(SluiceException.class)
        .satisfies(e -> assertThat(((SluiceException) e).kind()).isEqualTo(kind))
        .hasMessageStartingWith("[Sluice/" + kind.id() + "] ");
  }

  /** Starts {@code query} into a memory table, feeds it the input, and returns the table. */
  private List<Row> runIntoMemory(Dataset<?> query, OutputMode mode, String name) {
    StreamingQuery q = query.writeStream().outputMode(mode).format("memory").queryName(name)
        .start();
    try {
      clicks.addData(input());
      q.processAllAvailable();
      return engine.table(name);
    } finally {
      q.stop();
    }
  }

  @Nested
  class StatelessQueries {
    @ParameterizedTest(name = "{0} in {1} mode")
    @MethodSource("io.sluice.api.OutputModeRulesTest#statelessQueriesInAppendAndUpdate")
    void runInAppendAndUpdateModeWritingEachNewRowOnce(Stateless shape, OutputMode mode) {
      List<Row> table = runIntoMemory(shape.query().apply(clicks.toDataset()), mode,
          "stateless_" + shape.name());

      assertThat(multiset(table)).isEqualTo(multiset(shape.expected()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sluice.api.OutputModeRulesTest#statelessQueries")
    void areRefusedInCompleteMode(Stateless shape) {
      DataStreamWriter<?> writer = shape.query().apply(clicks.toDataset()).writeStream()
          .outputMode(OutputMode.COMPLETE).format("memory").queryName("refused");

      assertError(writer::start, ErrorKind.OUTPUT_MODE).hasMessageContaining(
          "complete output mode is not supported when there are no streaming aggregations");
      assertThat(engine.activeQueries()).isEmpty();
    }
  }

  @Nested
  class Aggregations {
    private Dataset<Row> viewsPerPage() {
      return clicks.toDataset().groupBy("page").agg(count("*").as("views"));
    }

    @Test
    void runInUpdateModeWritingTheGroupsEachBatchChanged() {
      StreamingQuery q = viewsPerPage().writeStream().outputMode(OutputMode.UPDATE)
          .format("memory").queryName("updates").start();
      try {
        clicks.addData(Click.of("a", "home", 1), Click.of("b", "cart", 2));
        q.processAllAvailable();
        clicks.addData(Click.of("c", "home", 3));
        q.processAllAvailable();
      } finally {
        q.stop();
      }

      assertThat(multiset(engine.table("updates")))
          .isEqualTo(multiset(List.of(row("home", 1L), row("cart", 1L), row("home", 2L))));
    }

    @Test
    void runInCompleteModeWritingTheWholeResultTable() {
      StreamingQuery q = viewsPerPage().writeStream().outputMode(OutputMode.COMPLETE)
          .format("memory").queryName("complete").start();
      try {
        clicks.addData(Click.of("a", "home", 1), Click.of("b", "cart", 2));
        q.processAllAvailable();
        clicks.addData(Click.of("c", "home", 3));
        q.processAllAvailable();
      } finally {
        q.stop();
      }

      assertThat(multiset(engine.table("complete")))
          .isEqualTo(multiset(List.of(row("home", 2L), row("cart", 1L))));
    }

    @Test
    void areRefusedInAppendModeWithoutAWatermark() {
      DataStreamWriter<Row> writer = viewsPerPage().writeStream().outputMode(OutputMode.APPEND)
          .format("memory").queryName("refused");

      assertError(writer::start, ErrorKind.OUTPUT_MODE).hasMessageContaining(
          "append output mode is not supported for a streaming aggregation without a watermark");
    }

    @Test
    void appendIsTheDefaultModeSoAnAggregationMustChooseOne() {
      assertError(viewsPerPage().writeStream().format("memory").queryName("refused")::start,
          ErrorKind.OUTPUT_MODE).hasMessageContaining("use update or complete mode");
    }

    @ParameterizedTest
    @EnumSource(value = OutputMode.class, names = {"UPDATE", "COMPLETE"})
    void twoAggregationsInOneQueryAreRefused(OutputMode mode) {
      Dataset<Row> twice = viewsPerPage().groupBy("views").agg(count("*").as("pages"));

      assertError(twice.writeStream().outputMode(mode).format("memory").queryName("two")::start,
          ErrorKind.UNSUPPORTED_OPERATION)
          .hasMessageContaining("multiple streaming aggregations");
    }
  }

  @Nested
  class Sinks {
    @TempDir Path out;

    @ParameterizedTest
    @EnumSource(value = OutputMode.class, names = {"UPDATE", "COMPLETE"})
    void theJsonFileSinkRefusesEveryModeButAppend(OutputMode mode) {
      Dataset<Row> counts = clicks.toDataset().groupBy(col("page")).count();
      DataStreamWriter<Row> writer = counts.writeStream().outputMode(mode).format("json");

      assertError(() -> writer.start(out.toString()), ErrorKind.OUTPUT_MODE)
          .hasMessageContaining("json sink supports append output mode only, not "
              + mode.name().toLowerCase(Locale.ROOT));
      assertThat(engine.activeQueries()).isEmpty();
    }

    @Test
    void theJsonFileSinkRefusesUpdateModeForAStatelessQueryToo() {
      DataStreamWriter<Click> writer = clicks.toDataset().writeStream()
          .outputMode(OutputMode.UPDATE).format("json");

      assertError(() -> writer.start(out.toString()), ErrorKind.OUTPUT_MODE)
          .hasMessageContaining("append output mode only");
    }

    @Test
    void theJsonFileSinkNeedsAPath() {
      assertError(clicks.toDataset().writeStream().format("json")::start,
          ErrorKind.INVALID_OPTION).hasMessageContaining("file sink needs option 'path'");
    }

    @Test
    void theMemorySinkNeedsAQueryNameForItsTable() {
      DataStreamWriter<Click> writer = clicks.toDataset().writeStream().format("memory");

      assertError(writer::start, ErrorKind.INVALID_OPTION)
          .hasMessageContaining("the memory sink needs a query name");
    }

    @Test
    void anUnknownSinkFormatListsTheAvailableOnes() {
      assertError(clicks.toDataset().writeStream().format("parquet")::start,
          ErrorKind.INVALID_OPTION)
          .hasMessageContaining("unknown sink format 'parquet'; available: console, memory");
    }
  }

  @Nested
  class OutputModeNames {
    @Test
    void areReadInAnyCase() {
      Dataset<Row> counts = clicks.toDataset().groupBy("page").count();
      StreamingQuery q = counts.writeStream().outputMode(" Complete ").format("memory")
          .queryName("named").start();
      try {
        clicks.addData(Click.of("a", "home", 1));
        q.processAllAvailable();
      } finally {
        q.stop();
      }

      assertThat(multiset(engine.table("named"))).isEqualTo(multiset(List.of(row("home", 1L))));
    }

    @Test
    void anUnknownNameListsTheModes() {
      DataStreamWriter<Click> writer = clicks.toDataset().writeStream();

      assertError(() -> writer.outputMode("upsert"), ErrorKind.INVALID_OPTION)
          .hasMessageContaining("unknown output mode 'upsert'; available: append, update, complete");
    }
  }

  @Nested
  class BoundedAndStreamingDatasets {
    @Test
    void aBoundedDatasetCannotBeWrittenAsAStream() {
      Dataset<Click> bounded = engine.createDataset(List.of(input()), Click.class);

      assertThat(bounded.isStreaming()).isFalse();
      assertError(bounded::writeStream, ErrorKind.UNSUPPORTED_OPERATION)
          .hasMessageContaining("writeStream() needs a streaming dataset");
    }

    @Test
    void aStreamingDatasetCannotBeCollected() {
      Dataset<Row> stream = clicks.toDataset().select(col("page"), lit(1).as("one"));

      assertThat(stream.isStreaming()).isTrue();
      assertError(stream::collectAsList, ErrorKind.UNSUPPORTED_OPERATION)
          .hasMessageContaining("a streaming dataset has no end to collect");
      assertError(stream::count, ErrorKind.UNSUPPORTED_OPERATION);
    }

    @Test
    void theRateSourceCanOnlyBeReadAsAStream() {
      assertError(engine.read().format("rate")::load, ErrorKind.UNSUPPORTED_OPERATION)
          .hasMessageContaining("the rate source is unbounded: use readStream()");
      assertThat(engine.readStream().format("rate").load().isStreaming()).isTrue();
    }

    @Test
    void aBoundedDatasetRunsEveryOperatorWithCollect() {
      Dataset<Row> bounded = engine.createDataset(List.of(input()), Click.class)
          .filter("ts > 0").groupBy("page").count();

      assertThat(multiset(bounded.collectAsList()))
          .isEqualTo(multiset(List.of(row("home", 1L), row("cart", 1L))));
    }
  }
}
