package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.writeFile;
import static io.sluice.api.Functions.avg;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.countDistinct;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.max;
import static io.sluice.api.Functions.min;
import static io.sluice.api.Functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.PageCount;
import io.sluice.fixtures.Sale;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise of the model: a query written once gives the same rows on a bounded input as on a
 * stream of the same input split into several micro-batches (complete mode for aggregations).
 */
class BatchStreamSymmetryTest {
  private static final int FILES = 5;
  private static final int ROWS_PER_FILE = 60;
  private static final String[] REGIONS = {"north", "south", "east", "west"};
  /** Prices with exact binary fractions, so that sums do not depend on the order of addition. */
  private static final double[] PRICES = {0.5, 1.25, 2.0, 3.75};

  private final Sluice engine = Sluice.create();

  @TempDir Path dir;

  /** A query shape, named for the test report. */
  private record Shape(String name, boolean aggregates, Function<Dataset<Sale>, Dataset<?>> query) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Shape> queries() {
    return Stream.of(
        new Shape("filter and select", false, s -> s
            .filter("amount > 20 AND region != 'north'")
            .select("region", "product", "amount")),
        new Shape("expressions per row", false, s -> s
            .filter(col("quantity").isNotNull())
            .selectExpr("upper(product) AS product", "amount * price AS revenue",
                "CASE WHEN quantity > 5 THEN 'bulk' ELSE 'single' END AS kind")),
        new Shape("count, sum, min, max, avg, count distinct per group", true, s -> s
            .groupBy("region")
            .agg(count("*").as("n"), sum("amount").as("total"), min("price").as("cheapest"),
                max("product").as("last"), avg("quantity").as("meanQuantity"),
                countDistinct("product").as("products"))),
        new Shape("grouping by an expression", true, s -> s
            .groupBy(expr("amount % 3 AS bucket"), col("region"))
            .agg(count("quantity").as("withQuantity"), sum("price").as("prices"))),
        new Shape("expressions after the aggregation", true, s -> s
            .groupBy("product")
            .agg(expr("sum(amount * price) / count(*) AS meanRevenue"),
                expr("max(amount) - min(amount) AS spread"))
            .filter("spread > 10")
            .withColumn("label", expr("concat(product, ':', CAST(spread AS STRING))"))),
        new Shape("a map function, then an aggregation", true, s -> s
            .map(sale -> new PageCount(sale.product(), sale.amount() * 2), PageCount.class)
            .groupBy("page").agg(sum("views").as("doubled"), count("*").as("n"))),
        new Shape("a flatMap function", false, s -> s
            .flatMap(sale -> sale.quantity() == null ? List.<PageCount>of()
                : List.of(new PageCount(sale.product(), sale.quantity()),
                    new PageCount("all", sale.amount())), PageCount.class)),
        new Shape("a global aggregate", true, s -> s
            .agg(count("*").as("n"), sum("quantity").as("units"), avg("price").as("meanPrice"))));
  }

  @BeforeEach
  void writeSales() {
    Random random = new Random(42);
    for (int f = 0; f < FILES; f++) {
      String[] lines = new String[ROWS_PER_FILE];
      for (int i = 0; i < ROWS_PER_FILE; i++) {
        lines[i] = saleJson(random, f * ROWS_PER_FILE + i);
      }
      writeFile(dir, "sales-" + f + ".json", f, lines);
    }
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private static String saleJson(Random random, int n) {
    String quantity = n % 7 == 0 ? "" : ",\"quantity\":" + random.nextInt(10);
    String region = REGIONS[random.nextInt(REGIONS.length)];
    // Every eleventh sale has no region, so that null keys are grouped too.
    String regionField = n % 11 == 0 ? "" : "\"region\":\"" + region + "\",";
    return "{" + regionField + "\"product\":\"p" + random.nextInt(12) + "\",\"amount\":"
        + (1 + random.nextInt(100)) + quantity + ",\"price\":"
        + PRICES[random.nextInt(PRICES.length)] + "}";
  }

  private List<?> batch(Shape shape) {
    return shape.query().apply(engine.read().json(dir.toString(), Sale.class)).collectAsList();
  }

  /** Runs the shape as a stream over the files, one file a batch, and returns its table. */
  private List<Row> streamed(Shape shape, String name) throws InterruptedException {
    Dataset<Sale> sales = engine.readStream().option("maxFilesPerTrigger", 1)
        .json(dir.toString(), Sale.class);
    StreamingQuery q = shape.query().apply(sales).writeStream()
        .outputMode(shape.aggregates() ? OutputMode.COMPLETE : OutputMode.APPEND)
        .format("memory").queryName(name).trigger(Trigger.availableNow()).start();
    assertThat(q.awaitTermination(10_000)).as("availableNow query stopped").isTrue();
    assertThat(q.recentProgress()).as("one batch per file").hasSize(FILES);
    return engine.table(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void aStreamSplitIntoBatchesEndsWithTheRowsOfTheBatchQuery(Shape shape)
      throws InterruptedException {
    List<?> expected = batch(shape);

    List<Row> actual = streamed(shape, "symmetry");

    assertThat(expected).as("the query selects something").isNotEmpty();
    assertThat(multiset(actual)).isEqualTo(multiset(expected));
  }

  @Test
  void aStreamFedFileByFileWhileRunningEndsWithTheBatchResult() throws IOException {
    Shape perRegion = queries().filter(Shape::aggregates).findFirst().orElseThrow();
    Path incoming = Files.createDirectory(dir.resolve("incoming"));
    Dataset<Sale> sales = engine.readStream().json(incoming.toString(), Sale.class);
    StreamingQuery q = perRegion.query().apply(sales).writeStream()
        .outputMode(OutputMode.COMPLETE).format("memory").queryName("fed").start();

    for (int f = 0; f < FILES; f++) {
      List<String> lines = Files.readAllLines(dir.resolve("sales-" + f + ".json"));
      writeFile(incoming, "sales-" + f + ".json", f, lines.toArray(String[]::new));
      q.processAllAvailable();
    }
    q.stop();

    assertThat(q.recentProgress()).hasSize(FILES);
    assertThat(multiset(engine.table("fed"))).isEqualTo(multiset(batch(perRegion)));
  }
}
