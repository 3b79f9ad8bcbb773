package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.values;
import static io.sluice.api.Functions.avg;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.countDistinct;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Click;
import io.sluice.fixtures.Message;
import io.sluice.fixtures.PageCount;
import io.sluice.internal.batch.AggregationStage;
import io.sluice.internal.batch.PipelineStage;
import io.sluice.internal.codegen.StageCompiler;
import io.sluice.testkit.QueryTester;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.codehaus.commons.compiler.ICompilerFactory;
import org.codehaus.commons.compiler.ISimpleCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The code a query runs is Java source generated per query and compiled at start: readable when
 * dumped, one fused loop per stage, free of user text, and accepted by javac as well as Janino.
 */
class GeneratedCodeTest {
  private static final String SECRET = "secret-page-xyz";
  private static final String FUSED_LOOP = "for (int i = 0; i < rows; i++)";

  @TempDir Path dump;
  @TempDir Path scratch;

  private Sluice engine;
  private MemoryStream<Click> clicks;
  private MemoryStream<Message> messages;

  @BeforeEach
  void startEngine() {
    engine = Sluice.builder().dumpGeneratedSourcesTo(dump).build();
    clicks = engine.memoryStream(Click.class);
    messages = engine.memoryStream(Message.class);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private Path generated(String simpleName) {
    return dump.resolve("io/sluice/generated/" + simpleName + ".java");
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private List<Path> dumpedSources() throws IOException {
    try (Stream<Path> files = Files.walk(dump)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void aStatelessQueryIsOneFusedStageWithoutItsStringLiteralsInTheSource() throws IOException {
    Dataset<Row> query = clicks.toDataset().filter("page != '" + SECRET + "'")
        .selectExpr("upper(page) AS page", "ts + 1 AS next");
    StreamingQuery q = query.writeStream().format("memory").queryName("secret-filter").start();
    clicks.addData(Click.of("ann", SECRET, 1), Click.of("bob", "home", 2));
    q.processAllAvailable();
    q.stop();

    assertThat(values(engine.table("secret-filter"))).containsExactly(row("HOME", 3L));
    assertThat(dumpedSources()).containsExactly(generated("SecretFilter_Stage1"));
    String source = read(generated("SecretFilter_Stage1"));
    assertThat(source).contains("package io.sluice.generated;")
        .contains("public final class SecretFilter_Stage1 implements PipelineStage")
        .contains("source: query 'secret-filter', stage 1")
        .contains(FUSED_LOOP)
        .doesNotContain(SECRET);
    assertThat(source).as("filter and projection share the one loop").containsOnlyOnce("for (");
    assertThat(q.explain()).contains("io.sluice.generated.SecretFilter_Stage1")
        .contains("compiled by Janino");
  }

  @Test
  void anAggregationIsAPartialAggregationStageAndAnOutputStage() throws IOException {
    Dataset<Row> query = clicks.toDataset().filter("page != '" + SECRET + "'").groupBy("page")
        .agg(count("*").as("views"), countDistinct("user").as("users"));
    StreamingQuery q = query.writeStream().outputMode(OutputMode.COMPLETE).format("memory")
        .queryName("page-views").start();
    clicks.addData(Click.of("ann", SECRET, 1), Click.of("bob", "home", 2),
        Click.of("bob", "home", 3));
    q.processAllAvailable();
    q.stop();

    assertThat(values(engine.table("page-views"))).containsExactly(row("home", 2L, 1L));
    assertThat(dumpedSources()).containsExactly(generated("PageViews_Stage1"),
        generated("PageViews_Stage2"));
    assertThat(read(generated("PageViews_Stage1")))
        .contains("public final class PageViews_Stage1 implements AggregationStage")
        .contains(FUSED_LOOP).doesNotContain(SECRET);
    assertThat(read(generated("PageViews_Stage2")))
        .contains("public final class PageViews_Stage2 implements PipelineStage")
        .contains(FUSED_LOOP);
    assertThat(q.explain()).contains("io.sluice.generated.PageViews_Stage1",
        "io.sluice.generated.PageViews_Stage2");
  }

  @Test
  void aUserFunctionIsCalledStraightFromTheGeneratedLoop() {
    List<String> callers = new ArrayList<>();
    Dataset<PageCount> mapped = clicks.toDataset().map(c -> {
      callers.add(StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst())
          .map(f -> f.getClassName() + "." + f.getMethodName()).orElseThrow());
      return new PageCount(c.page(), c.ts());
    }, PageCount.class);
    try (QueryTester t = QueryTester.of(mapped.writeStream().queryName("direct-call"))) {
      clicks.addData(Click.of("ann", "home", 1));

      t.expectBatch(row("home", 1L));
    }

    assertThat(callers).containsExactly("io.sluice.generated.DirectCall_Stage1.process");
  }

  @Test
  void aNewQueryShapeIsCompiledWhileTheSameShapeWithOtherConstantsReusesItsClass() {
    long before = StageCompiler.compilations();
    List<Row> home = filterPage("home-probe", "home");
    long afterFirst = StageCompiler.compilations();
    List<Row> cart = filterPage("home-probe", "cart");
    long afterSameShape = StageCompiler.compilations();

    assertThat(afterFirst).as("a new shape is compiled").isEqualTo(before + 1);
    assertThat(afterSameShape).as("another literal is not a new shape").isEqualTo(afterFirst);
    assertThat(values(home)).containsExactly(row("ann"));
    assertThat(values(cart)).as("the constant comes from the pool, not the source")
        .containsExactly(row("bob"));
  }

  /** The users of the clicks on {@code page}, by a query named {@code name}. */
  private List<Row> filterPage(String name, String page) {
    MemoryStream<Click> input = engine.memoryStream(Click.class);
    Dataset<Row> query = input.toDataset().filter(Functions.col("page").equalTo(page))
        .select("user");
    try (QueryTester t = QueryTester.of(query.writeStream().queryName(name))) {
      input.addData(Click.of("ann", "home", 1), Click.of("bob", "cart", 2));
      return t.runBatch();
    }
  }

  /** A compiler of the commons-compiler API: Janino, and the JDK's javac behind the same API. */
  static Stream<ICompilerFactory> compilers() {
    return Stream.of(new org.codehaus.janino.CompilerFactory(),
        new org.codehaus.commons.compiler.jdk.CompilerFactory());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compilers")
  void everyGeneratedSourceCompilesWithJaninoAndJavac(ICompilerFactory compilers)
      throws Exception {
    generateManyShapes();
    List<Path> sources = dumpedSources();
    assertThat(sources).hasSizeGreaterThan(8);

    for (Path file : sources) {
      String simpleName = file.getFileName().toString().replace(".java", "");
      ISimpleCompiler compiler = compilers.newSimpleCompiler();
      compiler.setParentClassLoader(getClass().getClassLoader());
      compiler.cook(file.toString(), new StringReader(read(file)));
      Class<?> stage = compiler.getClassLoader().loadClass("io.sluice.generated." + simpleName);

      assertThat(stage).as(file.toString()).satisfiesAnyOf(
          s -> assertThat(PipelineStage.class).isAssignableFrom(s),
          s -> assertThat(AggregationStage.class).isAssignableFrom(s));
    }
  }

  /** Starts a tester for each of a variety of shapes, which compiles (and dumps) their stages. */
  private void generateManyShapes() {
    Dataset<Click> in = clicks.toDataset();
    Dataset<PageCount> pages = engine.createDataset(List.of(new PageCount("home", 3)),
        PageCount.class);
    List<DataStreamWriter<?>> writers = List.of(
        in.alias("c").join(pages.alias("p"), expr("c.page = p.page AND ts < views"), "left")
            .writeStream().queryName("joined"),
        in.join(pages.select(col("page").as("known")), expr("page = known"), "left_semi")
            .writeStream().queryName("semi-joined"),
        in.selectExpr("CASE WHEN ts > 1 THEN 'late' ELSE NULL END AS k", "CAST(ts AS DOUBLE) / 2",
            "page LIKE 'h%'", "coalesce(durationMs, 0) + 1", "ts IN (1, 2, 3)").writeStream()
            .queryName("expressions"),
        in.map(c -> new PageCount(c.page(), c.ts()), PageCount.class).filter("views > 0")
            .writeStream().queryName("mapped"),
        in.flatMap(c -> List.of(new PageCount(c.user(), 1)), PageCount.class).writeStream()
            .queryName("flat-mapped"),
        in.select("page", "ts").map(r -> new PageCount(r.getString("page"), r.getLong("ts")),
            PageCount.class).writeStream().queryName("rows-mapped"),
        in.groupBy("page").agg(count("*"), sum("ts"), avg("durationMs"), countDistinct("user"))
            .writeStream().outputMode(OutputMode.UPDATE).queryName("aggregates"),
        in.agg(expr("max(ts) - min(ts) AS span")).withColumn("wide", expr("span > 10"))
            .writeStream().outputMode(OutputMode.COMPLETE).queryName("global"),
        in.groupBy(expr("length(user) AS len")).agg(expr("sum(ts * 2) / count(*) AS mean"))
            .filter("mean > 0").writeStream().outputMode(OutputMode.UPDATE).queryName("after"),
        // BINARY columns: byte[] locals, casts both ways, a literal from the constant pool.
        messages.toDataset().filter("key <> X'00' AND value IN (X'76', NULL)")
            .selectExpr("CAST(value AS STRING) AS text", "CAST(topic AS BINARY) AS raw",
                "key < value", "base64(key)", "unhex('0A')")
            .writeStream().queryName("binary-filter"),
        messages.toDataset().groupBy("key").agg(count("*"), expr("max(value)"),
            countDistinct("value")).writeStream().outputMode(OutputMode.UPDATE)
            .queryName("binary-groups"),
        messages.toDataset().map(m -> new Message(m.value(), m.key(), m.topic(), 0, 0L),
            Message.class).writeStream().queryName("binary-mapped"));
    for (DataStreamWriter<?> writer : writers) {
      try (QueryTester t = QueryTester.of(writer)) {
        clicks.addData(new Click("ann", "home", 1, 5));
        messages.addData(new Message(new byte[] {1}, new byte[] {'v'}, "t", 0, 0L));
        assertThat(t.runBatch()).isNotEmpty();
      }
    }
  }

  @Test
  void aDumpFolderThatCannotBeWrittenDoesNotStopTheQuery() throws IOException {
    Path blocked = scratch.resolve("file-not-folder");
    Files.writeString(blocked, "x");
    try (Sluice blockedEngine = Sluice.builder().dumpGeneratedSourcesTo(blocked).build()) {
      MemoryStream<Click> input = blockedEngine.memoryStream(Click.class);
      try (QueryTester t = QueryTester.of(input.toDataset().select("user").writeStream())) {
        input.addData(Click.of("ann", "home", 1));
        assertThat(multiset(t.runBatch())).isEqualTo(multiset(List.of(row("ann"))));
      }
    }
  }
}
