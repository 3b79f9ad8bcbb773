package io.sluice.api;

import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.fixtures.Click;
import io.sluice.internal.codegen.StageCompiler;
import io.sluice.testkit.QueryTester;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expression text is data, never code: text that tries to break out into Java is refused before
 * any query starts, and string literals that merely contain such text come out unchanged and never
 * reach the generated source.
 */
class InjectionTest {
  /** Text that would run Java if it were pasted into generated source. */
  static Stream<String> attacks() {
    return Stream.of(
        "1); System.exit(1); (1",
        "java.lang.Runtime.getRuntime()",
        "java.lang.Runtime.getRuntime().exit(1)",
        "'a' + \\u0027); System.exit(1); //",
        "/* */ 1",
        "1 -- ); System.exit(1);",
        "\"); System.exit(1); (\"",
        "ts); System.exit(1",
        "`page`); System.exit(1); (`page`",
        "exit(1)",
        "System.exit(1)",
        "upper(page)) + System.exit(1",
        "1; System.exit(1)");
  }

  /** Where expression text enters the API. */
  static Stream<Arguments> attacksAtEveryEntryPoint() {
    List<String> entries = List.of("expr", "selectExpr", "filter", "withColumn", "agg", "groupBy",
        "columnName", "sumOfColumn");
    return attacks().flatMap(a -> entries.stream().map(e -> Arguments.of(e, a)));
  }

  private final Sluice engine = Sluice.create();
  private final MemoryStream<Click> clicks = engine.memoryStream(Click.class);

  @AfterEach
  void close() {
    engine.close();
  }

  private void enter(String entryPoint, String text) {
    Dataset<Click> in = clicks.toDataset();
    switch (entryPoint) {
      case "expr" -> in.select(expr(text));
      case "selectExpr" -> in.selectExpr(text);
      case "filter" -> in.filter(text);
      case "withColumn" -> in.withColumn("x", text);
      case "agg" -> in.groupBy("page").agg(text);
      case "groupBy" -> in.groupBy(expr(text)).agg(count("*"));
      case "columnName" -> in.select(text);
      case "sumOfColumn" -> in.groupBy("page").sum(text);
      default -> throw new IllegalArgumentException(entryPoint);
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("attacksAtEveryEntryPoint")
  void javaTextInAnExpressionIsRefusedBeforeAnyQueryStarts(String entryPoint, String attack) {
    long compiled = StageCompiler.compilations();

    assertThatThrownBy(() -> enter(entryPoint, attack))
        .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.kind())
            .isIn(ErrorKind.PARSE_ERROR, ErrorKind.UNKNOWN_COLUMN, ErrorKind.UNKNOWN_FUNCTION));
    assertThat(StageCompiler.compilations()).as("nothing was compiled").isEqualTo(compiled);
    assertThat(engine.activeQueries()).isEmpty();
  }

  @Test
  void aUnicodeEscapeOutsideAStringIsAParseErrorPointingAtTheBackslash() {
    assertThatThrownBy(() -> expr("'a' + \\u0027); System.exit(1); //"))
        .isInstanceOfSatisfying(SluiceException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.PARSE_ERROR))
        .hasMessageContaining("a backslash is only allowed inside a string literal");
  }

  @Test
  void commentsAreRefusedRatherThanSkipped() {
    assertThatThrownBy(() -> expr("/* */ 1"))
        .isInstanceOfSatisfying(SluiceException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.PARSE_ERROR))
        .hasMessageContaining("comments are not supported");
  }

  /** String literals whose content would break generated Java if it were pasted in. */
  static Stream<Arguments> hostileLiterals() {
    return Stream.of(
        Arguments.of("'\"); System.exit(1); (\"'", "\"); System.exit(1); (\""),
        Arguments.of("'*/ System.exit(1); /*'", "*/ System.exit(1); /*"),
        Arguments.of("'\\u0027); System.exit(1); //'", "\\u0027); System.exit(1); //"),
        Arguments.of("'line one\nSystem.exit(1);\nline three'", "line one\nSystem.exit(1);\nline three"),
        Arguments.of("'escaped\\nSystem.exit(1);\\r\\n'", "escaped\nSystem.exit(1);\r\n"),
        Arguments.of("'it''s \\\\ \" System.exit(1)'", "it's \\ \" System.exit(1)"),
        Arguments.of("'\\\"); System.exit(1); //'", "\"); System.exit(1); //"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileLiterals")
  void aStringLiteralWithJavaInsideIsDataThatComesOutUnchanged(String literal, String value) {
    Dataset<Row> out = clicks.toDataset().selectExpr("user", literal + " AS note",
        "concat(" + literal + ", page) AS joined");
    try (QueryTester t = QueryTester.of(out.writeStream())) {
      clicks.addData(Click.of("ann", "home", 1));

      t.expectBatch(row("ann", value, value + "home"));
      assertThat(t.generatedSource()).doesNotContain("System.exit").doesNotContain(value);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileLiterals")
  void aStringLiteralWithJavaInsideFiltersByItsValue(String literal, String value) {
    Dataset<Click> out = clicks.toDataset().filter("page = " + literal + " OR page LIKE "
        + literal);
    try (QueryTester t = QueryTester.of(out.writeStream())) {
      clicks.addData(Click.of("ann", value, 1), Click.of("bob", "home", 2));

      t.expectBatch(row("ann", value, 1L, null));
      assertThat(t.generatedSource()).doesNotContain("System.exit");
    }
  }

  @Test
  void aLiteralFromTheColumnApiIsDataToo() {
    String hostile = "\"); System.exit(1); (\"";
    Dataset<Row> out = clicks.toDataset().groupBy(col("page")).agg(count("*").as("n"))
        .withColumn("note", lit(hostile)).filter(col("note").equalTo(lit(hostile)));
    try (QueryTester t = QueryTester.of(out.writeStream().outputMode(OutputMode.UPDATE))) {
      clicks.addData(Click.of("ann", "home", 1));

      t.expectBatch(row("home", 1L, hostile));
      assertThat(t.generatedSource()).doesNotContain("System.exit");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"x\"); System.exit(1); //", "x */ System.exit(1); /*", "x\nSystem.exit(1);"})
  void aQuotedColumnNameWithJavaInsideIsJustAName(String name) {
    String quoted = "`" + name.replace("`", "``") + "`";
    Dataset<Row> out = clicks.toDataset().selectExpr("ts AS " + quoted)
        .selectExpr(quoted + " + 1 AS next");
    try (QueryTester t = QueryTester.of(out.writeStream())) {
      clicks.addData(Click.of("ann", "home", 1));

      t.expectBatch(row(2L));
      assertThat(t.generatedSource()).doesNotContain("System.exit");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"q */ System.exit(1); /*", "q\nSystem.exit(1);", "q\"); System.exit(1);"})
  void aQueryNameWithJavaInsideReachesTheSourceOnlyAsCommentText(String name) {
    Dataset<Row> out = clicks.toDataset().select("user");
    try (QueryTester t = QueryTester.of(out.writeStream().queryName(name))) {
      clicks.addData(Click.of("ann", "home", 1));

      t.expectBatch(row("ann"));
      assertThat(t.generatedSource().lines().filter(line -> line.contains("System.exit")))
          .isNotEmpty()
          .as("the name stays inside a comment it cannot close")
          .allSatisfy(line -> assertThat(line.strip()).doesNotContain("*/", "\"").satisfiesAnyOf(
              l -> assertThat(l).startsWith("// "), l -> assertThat(l).startsWith("* ")));
    }
  }

  @Test
  void aRefusedExpressionSaysWhereItGoesWrong() {
    Consumer<String> refused = text -> assertThatThrownBy(() -> clicks.toDataset().filter(text))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(text);

    refused.accept("1); System.exit(1); (1");
    refused.accept("java.lang.Runtime.getRuntime()");
  }
}
