package io.sluice.api;

import static io.sluice.api.Functions.avg;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.countDistinct;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.lit;
import static io.sluice.api.Functions.max;
import static io.sluice.api.Functions.min;
import static io.sluice.api.Functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Click;
import io.sluice.fixtures.PageCount;
import io.sluice.testkit.QueryTester;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each operator on a stream, checked batch by batch. */
class OperatorsTest {
  private final Sluice engine = Sluice.create();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  @Test
  void selectExprComputesColumnsPerRow() {
    Dataset<Row> out = clicks.toDataset().selectExpr("upper(page) AS page", "ts * 2 AS twice",
        "durationMs IS NULL AS noDuration");
    try (QueryTester t = QueryTester.of(out.writeStream())) {
      clicks.addData(Click.of("ann", "home", 5), new Click("bob", "cart", 7, 30));
      t.expectBatch(row("HOME", 10L, true), row("CART", 14L, false));
    }
  }

  @Test
  void filterDropsRowsWhoseConditionIsFalseOrNull() {
    Dataset<Click> out = clicks.toDataset().where(col("durationMs").gt(10));
    try (QueryTester t = QueryTester.of(out.writeStream())) {
      clicks.addData(Click.of("ann", "home", 1), new Click("bob", "cart", 2, 30),
          new Click("cy", "cart", 3, 5));
      t.expectBatch(row("bob", "cart", 2L, 30));
    }
  }

  @Test
  void withColumnAddsOrReplacesAndDropRemoves() {
    Dataset<Row> out = clicks.toDataset().withColumn("page", expr("concat(page, '!')"))
        .withColumn("one", lit(1)).drop("user", "durationMs");
    assertThat(out.schema().names()).containsExactly("page", "ts", "one");
    try (QueryTester t = QueryTester.of(out.writeStream())) {
      clicks.addData(Click.of("ann", "home", 1));
      t.expectBatch(row("home!", 1L, 1));
    }
  }

  @Test
  void mapAndFlatMapCallJavaLambdasPerRecord() {
    Dataset<PageCount> mapped = clicks.toDataset()
        .map(c -> new PageCount(c.page(), c.ts()), PageCount.class);
    Dataset<PageCount> flat = clicks.toDataset().flatMap(
        c -> c.ts() > 1 ? List.of(new PageCount(c.page(), 1), new PageCount(c.user(), 2))
            : List.of(), PageCount.class);
    try (QueryTester m = QueryTester.of(mapped.writeStream());
        QueryTester f = QueryTester.of(flat.writeStream())) {
      clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2));
      m.expectBatch(row("home", 1L), row("cart", 2L));
      f.expectBatch(row("cart", 1L), row("bob", 2L));
    }
  }

  @Test
  void mapOverUntypedRowsAndBackToColumns() {
    Dataset<PageCount> out = clicks.toDataset().select("page", "ts")
        .map(r -> new PageCount(r.getString("page"), r.getLong("ts") + 100), PageCount.class)
        .filter("views > 101");
    try (QueryTester t = QueryTester.of(out.writeStream())) {
      clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2));
      t.expectBatch(row("cart", 102L));
    }
  }

  @Test
  void aggregatesInUpdateModeEmitOnlyChangedGroups() {
    Dataset<Row> out = clicks.toDataset().groupBy("page").agg(count("*").as("n"),
        sum("ts").as("total"), min("user").as("first"), max("ts").as("last"),
        avg("durationMs").as("avgDuration"), countDistinct("user").as("users"));
    try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.UPDATE))) {
      clicks.addData(Click.of("bob", "home", 1), new Click("ann", "home", 2, 10),
          new Click("ann", "cart", 3, 4));
      t.expectBatch(row("home", 2L, 3L, "ann", 2L, 10.0, 2L),
          row("cart", 1L, 3L, "ann", 3L, 4.0, 1L));
      clicks.addData(new Click("ann", "home", 10, 20), Click.of("aaron", "home", 4));
      t.expectBatch(row("home", 4L, 17L, "aaron", 10L, 15.0, 3L));
      t.expectNoBatch();
    }
  }

  @Test
  void completeModeEmitsTheWholeResultEveryBatch() {
    Dataset<Row> out = clicks.toDataset().groupBy("page").count();
    try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.COMPLETE))) {
      clicks.addData(Click.of("a", "home", 1), Click.of("b", "cart", 2));
      t.expectBatch(row("home", 1L), row("cart", 1L));
      clicks.addData(Click.of("c", "home", 3));
      t.expectBatch(row("home", 2L), row("cart", 1L));
    }
  }

  @Test
  void operatorsAfterAnAggregationShapeItsOutput() {
    Dataset<Row> out = clicks.toDataset().groupBy(expr("length(page) AS len"))
        .agg(expr("count(*) * 10 AS tens"), expr("max(ts) - min(ts) AS span"))
        .filter("tens > 10");
    try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.UPDATE))) {
      clicks.addData(Click.of("a", "home", 1), Click.of("b", "cart", 5), Click.of("c", "x", 9));
      t.expectBatch(row(4, 20L, 4L));
    }
  }

  @Test
  void globalAggregationWithoutKeys() {
    Dataset<Row> out = clicks.toDataset().agg(count("*"), sum("durationMs"));
    assertThat(out.schema().names()).containsExactly("count(1)", "sum(durationMs)");
    try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.COMPLETE))) {
      clicks.addData(Click.of("a", "home", 1));
      t.expectBatch(row(1L, null));
      clicks.addData(new Click("a", "home", 1, 7));
      t.expectBatch(row(2L, 7L));
    }
  }

  @Test
  void nullGroupingKeysFormTheirOwnGroup() {
    Dataset<Row> out = clicks.toDataset().groupBy("durationMs").count();
    try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.UPDATE))) {
      clicks.addData(Click.of("a", "home", 1), Click.of("b", "home", 2),
          new Click("c", "home", 3, 0));
      t.expectBatch(row(null, 2L), row(0, 1L));
    }
  }
}
