package io.sluice.internal.analysis;

import static io.sluice.api.DataType.BINARY;
import static io.sluice.api.DataType.BOOLEAN;
import static io.sluice.api.DataType.DOUBLE;
import static io.sluice.api.DataType.INT;
import static io.sluice.api.DataType.INTERVAL;
import static io.sluice.api.DataType.LONG;
import static io.sluice.api.DataType.STRING;
import static io.sluice.api.DataType.TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Expr.BinaryOp;
import io.sluice.internal.expression.Expr.UnaryOp;
import io.sluice.internal.expression.ExpressionParser;
import io.sluice.internal.expression.Position;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AnalyzerTest {
  private static final Schema SCHEMA = Schema.of(
      Field.nullable("user", STRING),
      Field.nullable("page", STRING),
      Field.required("ts", TIMESTAMP),
      Field.nullable("qty", INT),
      Field.required("amount", LONG),
      Field.required("price", DOUBLE),
      Field.nullable("flag", BOOLEAN),
      Field.nullable("dur", INTERVAL));

  private static final Bound.Column USER = new Bound.Column(0, "user", STRING, true);
  private static final Bound.Column PAGE = new Bound.Column(1, "page", STRING, true);
  private static final Bound.Column TS = new Bound.Column(2, "ts", TIMESTAMP, false);
  private static final Bound.Column QTY = new Bound.Column(3, "qty", INT, true);
  private static final Bound.Column AMOUNT = new Bound.Column(4, "amount", LONG, false);
  private static final Bound.Column PRICE = new Bound.Column(5, "price", DOUBLE, false);
  private static final Bound.Column FLAG = new Bound.Column(6, "flag", BOOLEAN, true);
  private static final Bound.Column DUR = new Bound.Column(7, "dur", INTERVAL, true);

  private static Bound bind(String text) {
    return Analyzer.bind(ExpressionParser.parse(text), SCHEMA, text, false);
  }

  private static Bound aggregate(String text) {
    return Analyzer.bind(ExpressionParser.parse(text), SCHEMA, text, true);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertError(
      ErrorKind kind, String text) {
    return assertErrorOf(kind, () -> bind(text));
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertErrorOf(
      ErrorKind kind, Runnable action) {
    return assertThatThrownBy(action::run)
        .isInstanceOf(SluiceException.class)
        .satisfies(e -> assertThat(((SluiceException) e).kind()).isEqualTo(kind));
  }

  private static Bound.Literal lit(Object value, DataType type) {
    return new Bound.Literal(value, type);
  }

  private static Bound.Cast cast(Bound operand, DataType type) {
    return new Bound.Cast(operand, type, operand.nullable());
  }

  @Nested
  class Columns {
    @Test
    void aColumnBindsToItsOrdinalTypeAndNullability() {
      assertThat(bind("page")).isEqualTo(PAGE);
      assertThat(bind("ts")).isEqualTo(TS);
    }

    @Test
    void namesMatchIgnoringCaseAndTakeTheSchemaSpelling() {
      assertThat(bind("PAGE")).isEqualTo(PAGE);
    }

    @Test
    void anExactMatchWinsOverCaseInsensitiveOnes() {
      Schema schema = Schema.of(Field.nullable("Page", STRING), Field.nullable("page", INT));
      assertThat(Analyzer.bind(ExpressionParser.parse("page"), schema, null, false))
          .isEqualTo(new Bound.Column(1, "page", INT, true));
    }

    @Test
    void twoCaseInsensitiveMatchesAreAmbiguous() {
      Schema schema = Schema.of(Field.nullable("Page", STRING), Field.nullable("page", INT));
      assertErrorOf(ErrorKind.AMBIGUOUS_COLUMN,
          () -> Analyzer.bind(ExpressionParser.parse("PAGE"), schema, "PAGE", false))
          .hasMessageContaining("column 'PAGE' is ambiguous: it matches Page, page");
    }

    @Test
    void anUnknownColumnListsTheColumnsAndSuggestsTheClosest() {
      Schema schema = Schema.of(Field.nullable("user", STRING), Field.nullable("page", STRING),
          Field.required("ts", TIMESTAMP));
      assertErrorOf(ErrorKind.UNKNOWN_COLUMN,
          () -> Analyzer.bind(ExpressionParser.parse("upper(pgae)"), schema, "upper(pgae)", false))
          .hasMessage("[Sluice/UnknownColumn] column 'pgae' not found; available: user, page, ts"
              + " (did you mean 'page'?)\n"
              + "  upper(pgae)\n"
              + "        ^^^^");
    }

    @Test
    void noSuggestionWhenNothingIsClose() {
      assertError(ErrorKind.UNKNOWN_COLUMN, "country")
          .hasMessageStartingWith("[Sluice/UnknownColumn] column 'country' not found; available:"
              + " user, page, ts, qty, amount, price, flag, dur\n");
    }

    @Test
    void withoutSourceTextThereIsNoSnippet() {
      assertErrorOf(ErrorKind.UNKNOWN_COLUMN,
          () -> Analyzer.bind(ExpressionParser.parse("pgae"), SCHEMA, null, false))
          .hasMessageEndingWith("(did you mean 'page'?)");
    }

    @Test
    void longOperandsAreCutInMessages() {
      String text = "page + " + "1 + ".repeat(40) + "1";
      assertError(ErrorKind.TYPE_MISMATCH, text).hasMessageContaining(
          "cannot apply '+' to 'page' (STRING) and 1 (INT)");
      String condition = "amount" + " + amount".repeat(20);
      assertErrorOf(ErrorKind.TYPE_MISMATCH, () -> Analyzer.bindPredicate(
          ExpressionParser.parse(condition), SCHEMA, condition)).hasMessageContaining(
          "filter condition must be BOOLEAN, but '" + condition.substring(0, 77) + "...' is"
              + " BIGINT");
    }

    @Test
    void theDeepestTreeTheParserAcceptsBinds() {
      Bound b = bind("flag" + " OR flag".repeat(254));
      assertThat(b.type()).isEqualTo(BOOLEAN);
    }

    @Test
    void anAliasAtTheTopIsOnlyAName() {
      assertThat(bind("page AS p")).isEqualTo(PAGE);
    }
  }

  @Nested
  class Literals {
    @Test
    void literalsKeepTheirTypeAndAreNotNull() {
      assertThat(bind("1")).isEqualTo(lit(1, INT));
      assertThat(bind("'a'").nullable()).isFalse();
      assertThat(bind("NULL")).isEqualTo(lit(null, DataType.NULL));
      assertThat(bind("NULL").nullable()).isTrue();
    }

    @Test
    void numbersAreBoxedAsTheirTypeSaysSoEqualLiteralsAreEqual() {
      Expr.Literal built = new Expr.Literal(5, LONG, Position.NONE);
      assertThat(Analyzer.bind(built, SCHEMA, null, false)).isEqualTo(lit(5L, LONG));
    }
  }

  @Nested
  class Arithmetic {
    @Test
    void sameTypesNeedNoCast() {
      assertThat(bind("qty + 1"))
          .isEqualTo(new Bound.Binary(BinaryOp.ADD, QTY, lit(1, INT), INT, true));
    }

    @Test
    void theNarrowerOperandIsWidenedWithACast() {
      assertThat(bind("qty * amount")).isEqualTo(
          new Bound.Binary(BinaryOp.MULTIPLY, cast(QTY, LONG), AMOUNT, LONG, true));
      assertThat(bind("amount - price")).isEqualTo(
          new Bound.Binary(BinaryOp.SUBTRACT, cast(AMOUNT, DOUBLE), PRICE, DOUBLE, false));
    }

    @Test
    void aNumericLiteralIsWidenedInPlace() {
      assertThat(bind("amount % 7"))
          .isEqualTo(new Bound.Binary(BinaryOp.REMAINDER, AMOUNT, lit(7L, LONG), LONG, false));
    }

    @Test
    void divisionIsAlwaysDouble() {
      assertThat(bind("qty / 2")).isEqualTo(new Bound.Binary(
          BinaryOp.DIVIDE, cast(QTY, DOUBLE), lit(2.0, DOUBLE), DOUBLE, true));
    }

    @Test
    void divIsBigint() {
      assertThat(bind("qty DIV amount")).isEqualTo(new Bound.Binary(
          BinaryOp.INTEGER_DIVIDE, cast(QTY, LONG), AMOUNT, LONG, true));
    }

    @Test
    void divRefusesDoubles() {
      assertError(ErrorKind.TYPE_MISMATCH, "price DIV 2").hasMessageContaining(
          "cannot apply 'DIV' to 'price' (DOUBLE) and 2 (INT); DIV needs INT or BIGINT"
              + " operands; write floor(a / b) for DOUBLE");
    }

    @Test
    void nullTakesTheTypeOfTheOtherOperand() {
      assertThat(bind("amount + NULL")).isEqualTo(
          new Bound.Binary(BinaryOp.ADD, AMOUNT, lit(null, LONG), LONG, true));
    }

    @Test
    void stringsAreNotNumbers() {
      assertError(ErrorKind.TYPE_MISMATCH, "page + 1").hasMessage(
          "[Sluice/TypeMismatch] cannot apply '+' to 'page' (STRING) and 1 (INT); a STRING is"
              + " not converted to INT implicitly: write CAST(page AS INT)\n"
              + "  page + 1\n"
              + "  ^^^^^^^^");
    }

    @Test
    void addingStringsPointsToConcatenation() {
      assertError(ErrorKind.TYPE_MISMATCH, "page + user")
          .hasMessageContaining("use || or concat() to join strings");
    }

    @Test
    void negationKeepsTheType() {
      assertThat(bind("-qty")).isEqualTo(new Bound.Unary(UnaryOp.NEGATE, QTY, INT, true));
      assertThat(bind("-dur")).isEqualTo(new Bound.Unary(UnaryOp.NEGATE, DUR, INTERVAL, true));
      assertError(ErrorKind.TYPE_MISMATCH, "-page")
          .hasMessageContaining("cannot apply '-' to 'page' (STRING)");
    }
  }

  @Nested
  class Timestamps {
    @Test
    void timestampPlusOrMinusIntervalIsATimestamp() {
      Bound.Literal fiveMinutes = lit(300_000L, INTERVAL);
      assertThat(bind("ts + INTERVAL 5 MINUTES"))
          .isEqualTo(new Bound.Binary(BinaryOp.ADD, TS, fiveMinutes, TIMESTAMP, false));
      assertThat(bind("ts - INTERVAL 5 MINUTES"))
          .isEqualTo(new Bound.Binary(BinaryOp.SUBTRACT, TS, fiveMinutes, TIMESTAMP, false));
      assertThat(bind("INTERVAL 5 MINUTES + ts").type()).isEqualTo(TIMESTAMP);
    }

    @Test
    void intervalsAddUpAndTimestampsSubtractToIntervals() {
      assertThat(bind("dur + dur").type()).isEqualTo(INTERVAL);
      assertThat(bind("ts - ts")).isEqualTo(
          new Bound.Binary(BinaryOp.SUBTRACT, TS, TS, INTERVAL, false));
    }

    @Test
    void numbersAreNotIntervals() {
      assertError(ErrorKind.TYPE_MISMATCH, "ts + 1").hasMessageContaining(
          "cannot apply '+' to 'ts' (TIMESTAMP) and 1 (INT); add or subtract an INTERVAL");
      assertError(ErrorKind.TYPE_MISMATCH, "ts + ts")
          .hasMessageContaining("cannot apply '+' to 'ts' (TIMESTAMP) and 'ts' (TIMESTAMP)");
      assertError(ErrorKind.TYPE_MISMATCH, "dur * 2")
          .hasMessageContaining("cannot apply '*' to 'dur' (INTERVAL) and 2 (INT)");
    }

    @Test
    void aStringLiteralComparedWithATimestampIsParsedNow() {
      Bound.Literal newYear = lit(1_704_067_200_000L, TIMESTAMP);
      assertThat(bind("ts > '2024-01-01 00:00:00'"))
          .isEqualTo(new Bound.Binary(BinaryOp.GT, TS, newYear, BOOLEAN, false));
      assertThat(bind("'2024-01-01T00:00:00Z' <= ts"))
          .isEqualTo(new Bound.Binary(BinaryOp.LE, newYear, TS, BOOLEAN, false));
      assertThat(bind("ts = '2024-01-01'"))
          .isEqualTo(new Bound.Binary(BinaryOp.EQ, TS, newYear, BOOLEAN, false));
    }

    @Test
    void aStringThatIsNotATimestampIsATypeError() {
      assertError(ErrorKind.TYPE_MISMATCH, "ts > 'yesterday'").hasMessageContaining(
          "cannot compare 'ts' (TIMESTAMP) with 'yesterday' (STRING): the string is not a"
              + " TIMESTAMP");
    }

    @Test
    void aStringColumnIsNotATimestamp() {
      assertError(ErrorKind.TYPE_MISMATCH, "ts > page").hasMessageContaining(
          "cannot apply '>' to 'ts' (TIMESTAMP) and 'page' (STRING); a STRING is not converted"
              + " to TIMESTAMP implicitly: write CAST(page AS TIMESTAMP)");
    }
  }

  @Nested
  class ComparisonsAndLogic {
    @Test
    void numericComparisonsWiden() {
      assertThat(bind("qty > 1.5")).isEqualTo(
          new Bound.Binary(BinaryOp.GT, cast(QTY, DOUBLE), lit(1.5, DOUBLE), BOOLEAN, true));
    }

    @Test
    void comparingAStringWithANumberIsATypeError() {
      assertError(ErrorKind.TYPE_MISMATCH, "page = 1").hasMessageContaining(
          "cannot apply '=' to 'page' (STRING) and 1 (INT)");
    }

    @Test
    void nullSafeEqualityIsNeverNull() {
      assertThat(bind("page <=> NULL")).isEqualTo(
          new Bound.Binary(BinaryOp.NULL_SAFE_EQ, PAGE, lit(null, STRING), BOOLEAN, false));
    }

    @Test
    void logicNeedsBooleans() {
      assertThat(bind("flag AND amount > 1").type()).isEqualTo(BOOLEAN);
      assertError(ErrorKind.TYPE_MISMATCH, "qty OR flag").hasMessageContaining(
          "cannot apply 'OR' to 'qty' (INT) and 'flag' (BOOLEAN); OR needs BOOLEAN operands");
      assertError(ErrorKind.TYPE_MISMATCH, "NOT qty")
          .hasMessageContaining("cannot apply 'NOT' to 'qty' (INT)");
    }

    @Test
    void betweenChecksBothBounds() {
      assertThat(bind("amount BETWEEN 1 AND 10")).isEqualTo(new Bound.Binary(BinaryOp.AND,
          new Bound.Binary(BinaryOp.GE, AMOUNT, lit(1L, LONG), BOOLEAN, false),
          new Bound.Binary(BinaryOp.LE, AMOUNT, lit(10L, LONG), BOOLEAN, false), BOOLEAN, false));
    }

    @Test
    void concatenationTurnsOperandsIntoStrings() {
      assertThat(bind("page || qty")).isEqualTo(
          new Bound.Binary(BinaryOp.CONCAT, PAGE, cast(QTY, STRING), STRING, true));
    }

    @Test
    void isNullIsNeverNull() {
      assertThat(bind("qty IS NOT NULL")).isEqualTo(new Bound.IsNull(QTY, true));
      assertThat(bind("qty IS NULL").nullable()).isFalse();
    }

    @Test
    void inUnifiesTheValueWithTheItems() {
      assertThat(bind("qty IN (1, 2.5)")).isEqualTo(new Bound.In(cast(QTY, DOUBLE),
          List.of(lit(1.0, DOUBLE), lit(2.5, DOUBLE)), false, true));
      assertThat(bind("ts NOT IN ('2024-01-01')")).isEqualTo(new Bound.In(TS,
          List.of(lit(1_704_067_200_000L, TIMESTAMP)), true, false));
    }

    @Test
    void inRefusesItemsOfAnotherType() {
      assertError(ErrorKind.TYPE_MISMATCH, "page IN ('a', 1)").hasMessageContaining(
          "incompatible types in IN: 'page' (STRING) and 1 (INT)");
    }

    @Test
    void likeKeepsTheRawPattern() {
      assertThat(bind("page NOT LIKE 'a\\%%'"))
          .isEqualTo(new Bound.Like(PAGE, "a\\%%", true, true));
    }

    @Test
    void likeNeedsALiteralPattern() {
      assertError(ErrorKind.UNSUPPORTED_OPERATION, "page LIKE user")
          .hasMessageContaining("LIKE pattern must be a string literal, but found 'user'");
    }

    @Test
    void likeNeedsAString() {
      assertError(ErrorKind.TYPE_MISMATCH, "qty LIKE '1%'").hasMessageContaining(
          "LIKE needs a STRING value, but 'qty' (INT) is not; write CAST(qty AS STRING)");
    }
  }

  @Nested
  class CaseAndCast {
    @Test
    void caseBranchesAreUnified() {
      assertThat(bind("CASE WHEN flag THEN qty ELSE 1.5 END")).isEqualTo(new Bound.Case(
          List.of(FLAG), List.of(cast(QTY, DOUBLE)), lit(1.5, DOUBLE), DOUBLE, true));
    }

    @Test
    void caseWithoutElseIsNullable() {
      Bound b = bind("CASE WHEN amount > 1 THEN 'big' END");
      assertThat(b.type()).isEqualTo(STRING);
      assertThat(b.nullable()).isTrue();
      assertThat(bind("CASE WHEN amount > 1 THEN 'big' ELSE 'small' END").nullable()).isFalse();
    }

    @Test
    void simpleCaseComparesTheOperand() {
      Bound.Case c = (Bound.Case) bind("CASE amount WHEN 1 THEN 'one' END");
      assertThat(c.conditions()).containsExactly(
          new Bound.Binary(BinaryOp.EQ, AMOUNT, lit(1L, LONG), BOOLEAN, false));
    }

    @Test
    void incompatibleBranchesAreATypeError() {
      assertError(ErrorKind.TYPE_MISMATCH, "CASE WHEN flag THEN 'a' ELSE 1 END")
          .hasMessageContaining("incompatible types in CASE branches: 'a' (STRING) and 1 (INT)");
    }

    @Test
    void conditionsMustBeBoolean() {
      assertError(ErrorKind.TYPE_MISMATCH, "CASE WHEN qty THEN 1 END")
          .hasMessageContaining("CASE WHEN condition must be BOOLEAN, but 'qty' is INT");
    }

    @Test
    void castsThatMakeSense() {
      assertThat(bind("CAST(page AS INT)")).isEqualTo(cast(PAGE, INT));
      assertThat(bind("CAST(price AS BIGINT)")).isEqualTo(cast(PRICE, LONG));
      assertThat(bind("CAST(amount AS TIMESTAMP)")).isEqualTo(cast(AMOUNT, TIMESTAMP));
      assertThat(bind("CAST(flag AS INT)")).isEqualTo(cast(FLAG, INT));
      assertThat(bind("CAST(dur AS STRING)")).isEqualTo(cast(DUR, STRING));
    }

    @Test
    void aCastToTheSameTypeIsDropped() {
      assertThat(bind("CAST(qty AS INT)")).isEqualTo(QTY);
      assertThat(bind("CAST(NULL AS BIGINT)")).isEqualTo(lit(null, LONG));
    }

    @Test
    void castsThatDoNotMakeSenseAreRefused() {
      assertError(ErrorKind.TYPE_MISMATCH, "CAST(flag AS TIMESTAMP)")
          .hasMessageContaining("cannot cast 'flag' (BOOLEAN) to TIMESTAMP");
      assertError(ErrorKind.TYPE_MISMATCH, "CAST(dur AS BIGINT)")
          .hasMessageContaining("cannot cast 'dur' (INTERVAL) to BIGINT");
    }
  }

  @Nested
  class Aggregates {
    @Test
    void countStarCountsRows() {
      assertThat(aggregate("count(*)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.COUNT, null, LONG, false));
    }

    @Test
    void countOfAValueAndOfDistinctValues() {
      assertThat(aggregate("count(page)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.COUNT, PAGE, LONG, false));
      assertThat(aggregate("COUNT(DISTINCT page)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.COUNT_DISTINCT, PAGE, LONG, false));
    }

    @Test
    void sumIsBigintForIntegersAndDoubleForDoubles() {
      assertThat(aggregate("sum(qty)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.SUM, QTY, LONG, true));
      assertThat(aggregate("sum(price)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.SUM, PRICE, DOUBLE, true));
    }

    @Test
    void avgAndMeanAreDouble() {
      assertThat(aggregate("avg(qty)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.AVG, QTY, DOUBLE, true));
      assertThat(aggregate("mean(amount)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.AVG, AMOUNT, DOUBLE, true));
    }

    @Test
    void minAndMaxKeepTheType() {
      assertThat(aggregate("min(ts)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.MIN, TS, TIMESTAMP, true));
      assertThat(aggregate("max(page)"))
          .isEqualTo(new Bound.Aggregate(AggregateFunction.MAX, PAGE, STRING, true));
    }

    @Test
    void aggregatesMayBeUsedInsideScalarExpressions() {
      assertThat(aggregate("sum(qty) + 1")).isEqualTo(new Bound.Binary(BinaryOp.ADD,
          new Bound.Aggregate(AggregateFunction.SUM, QTY, LONG, true), lit(1L, LONG), LONG, true));
    }

    @Test
    void sumNeedsNumbers() {
      assertErrorOf(ErrorKind.TYPE_MISMATCH, () -> aggregate("sum(page)")).hasMessageContaining(
          "function 'sum' needs a numeric argument, but 'page' (STRING) is not");
    }

    @Test
    void aggregatesAreRefusedWhereNotAllowed() {
      assertError(ErrorKind.INVALID_AGGREGATE, "sum(qty) > 1")
          .hasMessageContaining("aggregate function 'sum' is not allowed here");
    }

    @Test
    void aggregatesCannotBeNested() {
      assertErrorOf(ErrorKind.INVALID_AGGREGATE, () -> aggregate("max(sum(qty))"))
          .hasMessageContaining("aggregate function 'sum' cannot be used inside another aggregate"
              + " function ('max')");
    }

    @Test
    void distinctIsOnlyForCount() {
      assertErrorOf(ErrorKind.UNSUPPORTED_OPERATION, () -> aggregate("sum(DISTINCT qty)"))
          .hasMessageContaining("DISTINCT is only supported in count(DISTINCT x), not in sum(...)");
      assertError(ErrorKind.UNSUPPORTED_OPERATION, "upper(DISTINCT page)")
          .hasMessageContaining("not in upper(...)");
    }

    @Test
    void starIsOnlyForCount() {
      assertError(ErrorKind.UNSUPPORTED_OPERATION, "upper(*)")
          .hasMessageContaining("'*' is only allowed as the argument of count(*)");
      assertErrorOf(ErrorKind.UNSUPPORTED_OPERATION, () -> aggregate("count(DISTINCT *)"))
          .hasMessageContaining("count(DISTINCT *) is not supported");
    }

    @Test
    void aggregatesTakeOneArgument() {
      assertErrorOf(ErrorKind.WRONG_ARGUMENTS, () -> aggregate("count(page, user)"))
          .hasMessageContaining("function 'count' expects (*) or (any type) but got"
              + " (STRING, STRING)");
    }
  }

  @Nested
  class Functions {
    @Test
    void aScalarFunctionBindsToItsImplementation() {
      Bound.Call call = (Bound.Call) bind("UPPER(page)");
      assertThat(call.function().name()).isEqualTo("upper");
      assertThat(call.function().method()).isEqualTo("upper");
      assertThat(call.args()).containsExactly(PAGE);
      assertThat(call.type()).isEqualTo(STRING);
      assertThat(call.nullable()).isTrue();
    }

    @Test
    void overloadsArePickedByArgumentType() {
      assertThat(((Bound.Call) bind("abs(qty)")).function().method()).isEqualTo("absInt");
      assertThat(((Bound.Call) bind("abs(amount)")).function().method()).isEqualTo("absLong");
      assertThat(((Bound.Call) bind("round(price, 2)")).type()).isEqualTo(DOUBLE);
      assertThat(((Bound.Call) bind("substr(page, 2)")).function().name())
          .isEqualTo("substring");
    }

    @Test
    void argumentsAreWidenedWithCasts() {
      Bound.Call sqrt = (Bound.Call) bind("sqrt(qty)");
      assertThat(sqrt.args()).containsExactly(cast(QTY, DOUBLE));
      Bound.Call floor = (Bound.Call) bind("floor(qty)");
      assertThat(floor.args()).containsExactly(cast(QTY, LONG));
      assertThat(floor.type()).isEqualTo(LONG);
    }

    @Test
    void wrongArgumentsListTheSignatures() {
      assertError(ErrorKind.WRONG_ARGUMENTS, "substring(amount)").hasMessage(
          "[Sluice/WrongArguments] function 'substring' expects (STRING, INT[, INT]) but got"
              + " (BIGINT)\n"
              + "  substring(amount)\n"
              + "  ^^^^^^^^^^^^^^^^^");
      assertError(ErrorKind.WRONG_ARGUMENTS, "round('a')").hasMessageContaining(
          "function 'round' expects (INT[, INT]) or (BIGINT[, INT]) or (DOUBLE[, INT]) but got"
              + " (STRING)");
    }

    @Test
    void anUnknownFunctionSuggestsAKnownOne() {
      assertError(ErrorKind.UNKNOWN_FUNCTION, "lenght(page)").hasMessage(
          "[Sluice/UnknownFunction] function 'lenght' not found (did you mean 'length'?)\n"
              + "  lenght(page)\n"
              + "  ^^^^^^^^^^^^");
    }

    @Test
    void clockFunctionsAreRefusedBecauseReplaysMustGiveTheSameResult() {
      assertError(ErrorKind.UNSUPPORTED_OPERATION, "current_timestamp()").hasMessageContaining(
          "function 'current_timestamp' is not supported: it is not deterministic");
      assertError(ErrorKind.UNSUPPORTED_OPERATION, "ts > current_timestamp")
          .hasMessageContaining("function 'current_timestamp' is not supported");
      assertError(ErrorKind.UNSUPPORTED_OPERATION, "rand()").hasMessageContaining("rand");
    }

    @Test
    void timestampFunctions() {
      assertThat(bind("year(ts)").type()).isEqualTo(INT);
      assertThat(bind("to_timestamp(page, 'yyyy-MM-dd')").type()).isEqualTo(TIMESTAMP);
      assertThat(bind("date_format(ts, page)").type()).isEqualTo(STRING);
      assertThat(bind("timestamp_millis(qty)")).isEqualTo(new Bound.Call(
          FunctionRegistry.overloads("timestamp_millis").get(0), List.of(cast(QTY, LONG)), true));
    }

    @Test
    void javaIsNotReachableThroughFunctionNames() {
      assertError(ErrorKind.UNKNOWN_FUNCTION, "exec('rm -rf /')")
          .hasMessageContaining("function 'exec' not found");
      assertError(ErrorKind.UNKNOWN_FUNCTION, "getRuntime()")
          .hasMessageContaining("function 'getruntime' not found");
    }
  }

  @Nested
  class SpecialForms {
    @Test
    void coalesceIsACaseOverNullChecks() {
      assertThat(bind("coalesce(qty, amount, 0)")).isEqualTo(new Bound.Case(
          List.of(new Bound.IsNull(cast(QTY, LONG), true)), List.of(cast(QTY, LONG)), AMOUNT,
          LONG, false));
    }

    @Test
    void coalesceOfANeverNullFirstArgumentIsThatArgument() {
      assertThat(bind("coalesce(amount, qty)")).isEqualTo(AMOUNT);
    }

    @Test
    void nvlAndIfnullTakeTwoArguments() {
      assertThat(bind("nvl(page, 'none')")).isEqualTo(bind("coalesce(page, 'none')"));
      assertThat(bind("ifnull(page, 'none')").nullable()).isFalse();
      assertError(ErrorKind.WRONG_ARGUMENTS, "nvl(page)")
          .hasMessageContaining("function 'nvl' expects (any, any) but got (STRING)");
    }

    @Test
    void ifIsATwoWayCase() {
      assertThat(bind("if(flag, qty, 2.5)")).isEqualTo(new Bound.Case(List.of(FLAG),
          List.of(cast(QTY, DOUBLE)), lit(2.5, DOUBLE), DOUBLE, true));
      assertError(ErrorKind.TYPE_MISMATCH, "if(qty, 1, 2)")
          .hasMessageContaining("the condition of if() must be BOOLEAN, but 'qty' is INT");
    }

    @Test
    void nullifIsNullWhenEqual() {
      assertThat(bind("nullif(amount, 0)")).isEqualTo(new Bound.Case(
          List.of(new Bound.Binary(BinaryOp.EQ, AMOUNT, lit(0L, LONG), BOOLEAN, false)),
          List.of(lit(null, LONG)), AMOUNT, LONG, true));
    }

    @Test
    void greatestSkipsNullsLikeSpark() {
      Bound.Case c = (Bound.Case) bind("greatest(amount, 5)");
      assertThat(c).isEqualTo(new Bound.Case(
          List.of(new Bound.Binary(BinaryOp.GE, AMOUNT, lit(5L, LONG), BOOLEAN, false)),
          List.of(AMOUNT), lit(5L, LONG), LONG, false));
      Bound.Case nullable = (Bound.Case) bind("least(qty, 5)");
      assertThat(nullable.conditions()).containsExactly(new Bound.Binary(BinaryOp.AND,
          new Bound.IsNull(QTY, true),
          new Bound.Binary(BinaryOp.LE, QTY, lit(5, INT), BOOLEAN, true), BOOLEAN, true));
      assertThat(nullable.nullable()).isFalse();
    }

    @Test
    void concatChainsConcatenations() {
      assertThat(bind("concat(page, qty, '!')")).isEqualTo(new Bound.Binary(BinaryOp.CONCAT,
          new Bound.Binary(BinaryOp.CONCAT, PAGE, cast(QTY, STRING), STRING, true),
          lit("!", STRING), STRING, true));
    }
  }

  @Nested
  class Predicates {
    @Test
    void aBooleanConditionIsAccepted() {
      assertThat(Analyzer.bindPredicate(ExpressionParser.parse("flag"), SCHEMA, "flag"))
          .isEqualTo(FLAG);
    }

    @Test
    void aNullConditionIsABooleanNull() {
      assertThat(Analyzer.bindPredicate(ExpressionParser.parse("NULL"), SCHEMA, "NULL"))
          .isEqualTo(lit(null, BOOLEAN));
    }

    @Test
    void aConditionMustBeBoolean() {
      assertErrorOf(ErrorKind.TYPE_MISMATCH, () -> Analyzer.bindPredicate(
          ExpressionParser.parse("amount + 1"), SCHEMA, "amount + 1")).hasMessage(
          "[Sluice/TypeMismatch] filter condition must be BOOLEAN, but 'amount + 1' is BIGINT\n"
              + "  amount + 1\n"
              + "  ^^^^^^^^^^");
    }

    @Test
    void aConditionCannotAggregate() {
      assertErrorOf(ErrorKind.INVALID_AGGREGATE, () -> Analyzer.bindPredicate(
          ExpressionParser.parse("count(*) > 1"), SCHEMA, "count(*) > 1"))
          .hasMessageContaining("aggregate function 'count' is not allowed here");
    }
  }

  /** Spark's BINARY: the columns {@code key BINARY, value BINARY} a Kafka source gives. */
  @Nested
  class Binary {
    private static final Schema KAFKA = Schema.of(Field.nullable("key", BINARY),
        Field.nullable("value", BINARY), Field.nullable("topic", STRING),
        Field.required("partition", INT), Field.required("offset", LONG),
        Field.required("price", DOUBLE));
    private static final Bound.Column KEY = new Bound.Column(0, "key", BINARY, true);
    private static final Bound.Column VALUE = new Bound.Column(1, "value", BINARY, true);
    private static final Bound.Column TOPIC = new Bound.Column(2, "topic", STRING, true);
    private static final Bound.Column PARTITION = new Bound.Column(3, "partition", INT, false);
    private static final Bound.Column OFFSET = new Bound.Column(4, "offset", LONG, false);

    private Bound bindKafka(String text, boolean aggregates) {
      return Analyzer.bind(ExpressionParser.parse(text), KAFKA, text, aggregates);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertKafkaError(ErrorKind kind,
        String text, boolean aggregates) {
      return assertErrorOf(kind, () -> bindKafka(text, aggregates));
    }

    @Test
    void binaryCastsToStringAndStringsAndIntegersCastToBinary() {
      assertThat(bindKafka("CAST(value AS STRING)", false)).isEqualTo(cast(VALUE, STRING));
      assertThat(bindKafka("CAST(topic AS BINARY)", false)).isEqualTo(cast(TOPIC, BINARY));
      assertThat(bindKafka("CAST(partition AS BINARY)", false))
          .isEqualTo(cast(PARTITION, BINARY));
      assertThat(bindKafka("CAST(offset AS BINARY)", false)).isEqualTo(cast(OFFSET, BINARY));
      assertThat(bindKafka("CAST(key AS BINARY)", false)).isEqualTo(KEY);
    }

    @Test
    void otherCastsToOrFromBinaryAreRefusedSayingWhatIsAllowed() {
      assertKafkaError(ErrorKind.TYPE_MISMATCH, "CAST(price AS BINARY)", false)
          .hasMessageContaining("cannot cast 'price' (DOUBLE) to BINARY; only STRING, INT and"
              + " BIGINT cast to BINARY, as in Spark");
      assertKafkaError(ErrorKind.TYPE_MISMATCH, "CAST(value AS BIGINT)", false)
          .hasMessageContaining("cannot cast 'value' (BINARY) to BIGINT; BINARY casts only to"
              + " STRING, as in Spark");
    }

    @Test
    void binaryComparesWithBinaryOnly() {
      assertThat(bindKafka("key = value", false)).isEqualTo(
          new Bound.Binary(BinaryOp.EQ, KEY, VALUE, BOOLEAN, true));
      assertThat(bindKafka("key < X'0A'", false)).isEqualTo(new Bound.Binary(BinaryOp.LT, KEY,
          lit(new byte[] {0x0a}, BINARY), BOOLEAN, true));
      assertKafkaError(ErrorKind.TYPE_MISMATCH, "key = topic", false)
          .hasMessageContaining("cannot apply '=' to 'key' (BINARY) and 'topic' (STRING)");
    }

    @Test
    void inAndIsNullTakeBinary() {
      assertThat(bindKafka("key IN (X'01', NULL)", false)).isEqualTo(new Bound.In(KEY,
          List.of(lit(new byte[] {1}, BINARY), lit(null, BINARY)), false, true));
      assertThat(bindKafka("value IS NULL", false)).isEqualTo(new Bound.IsNull(VALUE, false));
    }

    @Test
    void likeNeedsTheBytesCastToAString() {
      assertKafkaError(ErrorKind.TYPE_MISMATCH, "value LIKE 'a%'", false)
          .hasMessageContaining("write CAST(value AS STRING)");
    }

    @Test
    void binaryFunctionsFollowSpark() {
      Bound.Call length = (Bound.Call) bindKafka("length(value)", false);
      assertThat(length.function().method()).isEqualTo("binaryLength");
      assertThat(length.type()).isEqualTo(INT);
      assertThat(bindKafka("base64(value)", false).type()).isEqualTo(STRING);
      assertThat(bindKafka("unbase64(topic)", false).type()).isEqualTo(BINARY);
      assertThat(((Bound.Call) bindKafka("hex(key)", false)).function().method())
          .isEqualTo("hex");
      assertThat(((Bound.Call) bindKafka("hex(topic)", false)).function().method())
          .isEqualTo("stringHex");
      assertThat(bindKafka("unhex(topic)", false).type()).isEqualTo(BINARY);
    }

    @Test
    void countMinAndMaxTakeBinaryButSumAndAvgDoNot() {
      assertThat(bindKafka("count(DISTINCT key)", true)).isEqualTo(
          new Bound.Aggregate(AggregateFunction.COUNT_DISTINCT, KEY, LONG, false));
      assertThat(bindKafka("max(value)", true)).isEqualTo(
          new Bound.Aggregate(AggregateFunction.MAX, VALUE, BINARY, true));
      assertKafkaError(ErrorKind.TYPE_MISMATCH, "sum(value)", true).hasMessageContaining(
          "function 'sum' needs a numeric argument, but 'value' (BINARY) is not");
      assertKafkaError(ErrorKind.TYPE_MISMATCH, "avg(key)", true).hasMessageContaining(
          "function 'avg' needs a numeric argument, but 'key' (BINARY) is not");
    }
  }
}
