package io.sluice.internal.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.Expr.Alias;
import io.sluice.internal.expression.Expr.Binary;
import io.sluice.internal.expression.Expr.BinaryOp;
import io.sluice.internal.expression.Expr.Call;
import io.sluice.internal.expression.Expr.Cast;
import io.sluice.internal.expression.Expr.ColumnRef;
import io.sluice.internal.expression.Expr.In;
import io.sluice.internal.expression.Expr.IsNull;
import io.sluice.internal.expression.Expr.Like;
import io.sluice.internal.expression.Expr.Literal;
import io.sluice.internal.expression.Expr.Star;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionParserTest {

  private static Expr parse(String text) {
    return ExpressionParser.parse(text);
  }

  private static String sql(String text) {
    return ExprPrinter.toSql(parse(text));
  }

  private static Literal literal(String text) {
    Expr e = parse(text);
    assertThat(e).isInstanceOf(Literal.class);
    return (Literal) e;
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertParseError(String text) {
    return assertThatThrownBy(() -> parse(text))
        .isInstanceOf(SluiceException.class)
        .satisfies(e -> assertThat(((SluiceException) e).kind()).isEqualTo(ErrorKind.PARSE_ERROR));
  }

  @Nested
  class Literals {
    @Test
    void integersThatFitAnIntAreInts() {
      assertThat(literal("42")).extracting(Literal::value, Literal::type)
          .containsExactly(42, DataType.INT);
      assertThat(literal("2147483647").type()).isEqualTo(DataType.INT);
    }

    @Test
    void integersBeyondIntAreBigints() {
      assertThat(literal("2147483648")).extracting(Literal::value, Literal::type)
          .containsExactly(2147483648L, DataType.LONG);
    }

    @Test
    void theMinusSignBelongsToTheLiteralSoIntMinIsAnInt() {
      assertThat(literal("-2147483648")).extracting(Literal::value, Literal::type)
          .containsExactly(Integer.MIN_VALUE, DataType.INT);
      assertThat(literal("-9223372036854775808").value()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theLSuffixMakesABigint() {
      assertThat(literal("10L")).extracting(Literal::value, Literal::type)
          .containsExactly(10L, DataType.LONG);
      assertThat(literal("10l").type()).isEqualTo(DataType.LONG);
    }

    @Test
    void decimalsAndExponentsAreDoubles() {
      assertThat(literal("1.5").value()).isEqualTo(1.5);
      assertThat(literal(".5").value()).isEqualTo(0.5);
      assertThat(literal("1e3").value()).isEqualTo(1000.0);
      assertThat(literal("2.5E-1").value()).isEqualTo(0.25);
      assertThat(literal("3D").value()).isEqualTo(3.0);
      assertThat(literal("1.5").type()).isEqualTo(DataType.DOUBLE);
    }

    @Test
    void integersBeyondBigintAreRefused() {
      assertParseError("9223372036854775808")
          .hasMessageContaining("integer 9223372036854775808 is out of range for BIGINT")
          .hasMessageContaining("write 9223372036854775808.0 for a DOUBLE");
    }

    @Test
    void stringsUseSingleQuotesWithDoubledQuoteOrBackslashEscapes() {
      assertThat(literal("'it''s'").value()).isEqualTo("it's");
      assertThat(literal("'it\\'s'").value()).isEqualTo("it's");
      assertThat(literal("'a\\\\b'").value()).isEqualTo("a\\b");
      assertThat(literal("'line\\nnext\\ttab'").value()).isEqualTo("line\nnext\ttab");
      assertThat(literal("''").value()).isEqualTo("");
    }

    @Test
    void unknownBackslashEscapesStayAsWrittenSoLikeEscapesSurvive() {
      assertThat(literal("'100\\%'").value()).isEqualTo("100\\%");
    }

    @Test
    void booleansAndNullAreKeywordsInAnyCase() {
      assertThat(literal("TRUE").value()).isEqualTo(true);
      assertThat(literal("false").value()).isEqualTo(false);
      assertThat(literal("Null")).extracting(Literal::value, Literal::type)
          .containsExactly(null, DataType.NULL);
    }

    @Test
    void hexLiteralsAreBinaryInEitherCase() {
      assertThat(literal("X'0A1b'").type()).isEqualTo(DataType.BINARY);
      assertThat((byte[]) literal("X'0A1b'").value()).containsExactly(0x0a, 0x1b);
      assertThat((byte[]) literal("x'ff'").value()).containsExactly(0xff);
      assertThat((byte[]) literal("X''").value()).isEmpty();
    }

    @Test
    void anOddNumberOfHexDigitsReadsAsIfLedByAZeroAsInSpark() {
      assertThat((byte[]) literal("X'123'").value()).containsExactly(0x01, 0x23);
    }

    @Test
    void binaryLiteralsAreEqualByContentAndPrintBackAsHex() {
      assertThat(parse("X'0a1B'")).isEqualTo(parse("X'0A1b'"));
      assertThat(parse("X'0A'")).isNotEqualTo(parse("X'0B'"));
      assertThat(sql("key = x'0a1b'")).isEqualTo("(key = X'0A1B')");
    }

    @Test
    void aHexLiteralWithANonHexCharacterIsRefusedAtThatCharacter() {
      assertParseError("key = X'0G'").hasMessage("[Sluice/ParseError] cannot parse expression:"
          + " expected hex digits in a binary literal but found 'G' at position 9; write bytes"
          + " as pairs of 0-9 and A-F, like X'0A1B'\n"
          + "  key = X'0G'\n"
          + "           ^");
      assertParseError("X'0A").hasMessageContaining("unterminated binary literal");
    }

    @Test
    void aNameThatMerelyStartsWithXIsStillAName() {
      assertThat(parse("xs")).isEqualTo(new ColumnRef("xs", new Position(0, 2)));
      assertThat(parse("X")).isInstanceOf(ColumnRef.class);
    }

    @Test
    void unterminatedStringsAreReportedAtTheirOpeningQuote() {
      assertParseError("name = 'abc").hasMessage("[Sluice/ParseError] cannot parse expression:"
          + " unterminated string: expected a closing ' but found end of input at position 7\n"
          + "  name = 'abc\n"
          + "         ^^^^");
    }
  }

  @Nested
  class Intervals {
    @Test
    void numberAndPluralUnit() {
      assertThat(literal("INTERVAL 10 SECONDS")).extracting(Literal::value, Literal::type)
          .containsExactly(10_000L, DataType.INTERVAL);
    }

    @Test
    void quotedNumberAndSingularUnit() {
      assertThat(literal("interval '10' second").value()).isEqualTo(10_000L);
    }

    @Test
    void everyUnitHasItsLength() {
      assertThat(literal("INTERVAL 250 MILLISECONDS").value()).isEqualTo(250L);
      assertThat(literal("INTERVAL 2 MINUTES").value()).isEqualTo(120_000L);
      assertThat(literal("INTERVAL 1 HOUR").value()).isEqualTo(3_600_000L);
      assertThat(literal("INTERVAL 1 DAY").value()).isEqualTo(86_400_000L);
    }

    @Test
    void severalPartsAddUp() {
      assertThat(literal("INTERVAL 1 HOUR 30 MINUTES").value()).isEqualTo(5_400_000L);
      assertThat(literal("INTERVAL '1 hour 30 minutes'").value()).isEqualTo(5_400_000L);
    }

    @Test
    void negativeIntervals() {
      assertThat(literal("INTERVAL -5 MINUTES").value()).isEqualTo(-300_000L);
      assertThat(literal("INTERVAL '-5' MINUTES").value()).isEqualTo(-300_000L);
    }

    @Test
    void monthsAreRefusedBecauseTheyHaveNoFixedLength() {
      assertParseError("INTERVAL 1 MONTH")
          .hasMessageContaining("expected an interval unit (MILLISECOND, SECOND, MINUTE, HOUR, DAY"
              + " or WEEK) but found 'MONTH' at position 11; months and years have no fixed"
              + " length");
    }

    @Test
    void aMissingUnitIsNamed() {
      assertParseError("INTERVAL 10").hasMessageContaining(
          "expected an interval unit (MILLISECOND, SECOND, MINUTE, HOUR, DAY or WEEK) but found"
              + " end of input at position 11");
    }

    @Test
    void fractionsAreRefused() {
      assertParseError("INTERVAL '1.5' SECONDS")
          .hasMessageContaining("expected a whole number of interval units but found string"
              + " '1.5'");
    }

    @Test
    void anIntervalIsAnOperandLikeAnyOther() {
      assertThat(sql("ts + INTERVAL 5 MINUTES > x"))
          .isEqualTo("((ts + INTERVAL '5' MINUTE) > x)");
    }
  }

  @Nested
  class Names {
    @Test
    void plainNamesAreColumns() {
      assertThat(parse("user_id2")).isEqualTo(new ColumnRef("user_id2", new Position(0, 8)));
    }

    @Test
    void backticksQuoteAnyNameAndDoubledBackticksEscape() {
      assertThat(parse("`my col`")).isEqualTo(new ColumnRef("my col", new Position(0, 8)));
      assertThat(((ColumnRef) parse("`a``b`")).name()).isEqualTo("a`b");
      assertThat(((ColumnRef) parse("`a.b`")).name()).isEqualTo("a.b");
    }

    @Test
    void aQuotedKeywordIsAColumn() {
      assertThat(((ColumnRef) parse("`end`")).name()).isEqualTo("end");
    }

    @Test
    void anUnquotedKeywordIsNotAColumn() {
      assertParseError("end + 1").hasMessage("[Sluice/ParseError] cannot parse expression:"
          + " expected an expression but found keyword 'end' at position 0; if it is a column"
          + " name, quote it with backticks: `end`\n"
          + "  end + 1\n"
          + "  ^^^");
    }

    @Test
    void keywordsAreCaseInsensitive() {
      assertThat(sql("a is not null and b Between 1 AnD 2"))
          .isEqualTo("((a IS NOT NULL) AND ((b >= 1) AND (b <= 2)))");
    }

    @Test
    void namesCannotStartWithADigit() {
      assertParseError("1abc").hasMessageContaining("found '1abc' at position 0; a name cannot"
          + " start with a digit unless quoted with backticks");
    }
  }

  @Nested
  class Precedence {
    @Test
    void multiplicationBindsTighterThanAddition() {
      assertThat(sql("a + b * c")).isEqualTo("(a + (b * c))");
      assertThat(sql("a * b + c")).isEqualTo("((a * b) + c)");
      assertThat(sql("a % b - c / d")).isEqualTo("((a % b) - (c / d))");
    }

    @Test
    void sameLevelOperatorsAssociateToTheLeft() {
      assertThat(sql("a - b - c")).isEqualTo("((a - b) - c)");
      assertThat(sql("a / b * c")).isEqualTo("((a / b) * c)");
    }

    @Test
    void parenthesesGroup() {
      assertThat(sql("(a + b) * c")).isEqualTo("((a + b) * c)");
    }

    @Test
    void concatenationSitsWithAddition() {
      assertThat(sql("a || b + c")).isEqualTo("((a || b) + c)");
      assertThat(sql("a || b * c")).isEqualTo("(a || (b * c))");
    }

    @Test
    void divIsMultiplicative() {
      assertThat(parse("a DIV 2")).isInstanceOf(Binary.class)
          .extracting(e -> ((Binary) e).op()).isEqualTo(BinaryOp.INTEGER_DIVIDE);
      assertThat(sql("a + b div 2")).isEqualTo("(a + (b DIV 2))");
    }

    @Test
    void comparisonsBindLooserThanArithmetic() {
      assertThat(sql("a + 1 > b * 2")).isEqualTo("((a + 1) > (b * 2))");
    }

    @Test
    void notBindsLooserThanComparisonAndTighterThanAnd() {
      assertThat(sql("NOT a = b AND c")).isEqualTo("((NOT (a = b)) AND c)");
    }

    @Test
    void andBindsTighterThanOr() {
      assertThat(sql("a OR b AND c")).isEqualTo("(a OR (b AND c))");
      assertThat(sql("a AND b OR c")).isEqualTo("((a AND b) OR c)");
    }

    @Test
    void unaryMinusBindsTightest() {
      assertThat(sql("-a * b")).isEqualTo("((- a) * b)");
      assertThat(sql("a - -b")).isEqualTo("(a - (- b))");
      assertThat(sql("a - -1")).isEqualTo("(a - -1)");
    }

    @Test
    void unaryPlusIsDropped() {
      assertThat(sql("+a")).isEqualTo("a");
    }

    @Test
    void everyComparisonOperatorHasItsSpellings() {
      assertThat(sql("a == b")).isEqualTo("(a = b)");
      assertThat(sql("a <> b")).isEqualTo("(a != b)");
      assertThat(sql("a != b")).isEqualTo("(a != b)");
      assertThat(sql("a <=> b")).isEqualTo("(a <=> b)");
      assertThat(sql("a <= b")).isEqualTo("(a <= b)");
      assertThat(sql("a >= b")).isEqualTo("(a >= b)");
    }

    @Test
    void aPredicateAppliesToTheWholeComparisonBeforeIt() {
      assertThat(sql("a = b IS NULL")).isEqualTo("((a = b) IS NULL)");
    }
  }

  @Nested
  class Predicates {
    @Test
    void betweenBecomesTwoComparisons() {
      assertThat(sql("x BETWEEN 1 AND 10")).isEqualTo("((x >= 1) AND (x <= 10))");
    }

    @Test
    void notBetweenIsTheNegationOfTheRange() {
      assertThat(sql("x NOT BETWEEN 1 AND 10")).isEqualTo("(NOT ((x >= 1) AND (x <= 10)))");
    }

    @Test
    void theAndAfterBetweenBoundsIsALogicalAnd() {
      assertThat(sql("x BETWEEN 1 AND 10 AND y")).isEqualTo("(((x >= 1) AND (x <= 10)) AND y)");
    }

    @Test
    void betweenBoundsMayBeArithmetic() {
      assertThat(sql("x BETWEEN a - 1 AND a + 1")).isEqualTo("((x >= (a - 1)) AND (x <= (a + 1)))");
    }

    @Test
    void inTakesAList() {
      Expr e = parse("x IN (1, 2, 3)");
      assertThat(e).isInstanceOf(In.class);
      In in = (In) e;
      assertThat(in.negated()).isFalse();
      assertThat(in.list()).extracting(i -> ((Literal) i).value()).containsExactly(1, 2, 3);
    }

    @Test
    void notIn() {
      assertThat(((In) parse("x NOT IN ('a')")).negated()).isTrue();
      assertThat(sql("x NOT IN ('a', 'b')")).isEqualTo("(x NOT IN ('a', 'b'))");
    }

    @Test
    void anEmptyInListIsAnError() {
      assertParseError("x IN ()")
          .hasMessageContaining("expected an expression but found ')' at position 6");
    }

    @Test
    void likeKeepsItsPatternExpression() {
      Like like = (Like) parse("name LIKE 'a%'");
      assertThat(like.value()).isEqualTo(new ColumnRef("name", new Position(0, 4)));
      assertThat(like.pattern()).isEqualTo(new Literal("a%", DataType.STRING, new Position(10, 4)));
      assertThat(((Like) parse("name NOT LIKE 'a%'")).negated()).isTrue();
    }

    @Test
    void isNullAndIsNotNull() {
      assertThat(((IsNull) parse("x IS NULL")).negated()).isFalse();
      assertThat(((IsNull) parse("x IS NOT NULL")).negated()).isTrue();
    }

    @Test
    void isMustBeFollowedByNull() {
      assertParseError("x IS 1")
          .hasMessageContaining("expected NULL or NOT NULL after IS but found '1' at position 5");
    }
  }

  @Nested
  class CaseAndCast {
    @Test
    void searchedCase() {
      assertThat(sql("CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END"))
          .isEqualTo("CASE WHEN (a > 1) THEN 'big' WHEN (a > 0) THEN 'small' ELSE 'none' END");
    }

    @Test
    void simpleCaseBecomesEqualityConditions() {
      assertThat(sql("CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' END"))
          .isEqualTo("CASE WHEN (x = 1) THEN 'one' WHEN (x = 2) THEN 'two' END");
    }

    @Test
    void caseWithoutElseHasNoOtherwise() {
      assertThat(((Expr.Case) parse("CASE WHEN a THEN 1 END")).otherwise()).isNull();
    }

    @Test
    void caseNeedsAWhen() {
      assertParseError("CASE END").hasMessageContaining(
          "expected an expression but found keyword 'END' at position 5");
      assertParseError("CASE x END")
          .hasMessageContaining("expected WHEN but found keyword 'END' at position 7");
    }

    @Test
    void caseNeedsItsEnd() {
      assertParseError("CASE WHEN a THEN 1").hasMessageContaining(
          "expected WHEN, ELSE or END but found end of input at position 18");
    }

    @Test
    void castNamesATargetType() {
      assertThat(parse("CAST(x AS BIGINT)")).isInstanceOf(Cast.class)
          .extracting(e -> ((Cast) e).target()).isEqualTo(DataType.LONG);
      assertThat(((Cast) parse("cast(x as integer)")).target()).isEqualTo(DataType.INT);
      assertThat(sql("CAST(x AS long)")).isEqualTo("CAST(x AS BIGINT)");
    }

    @Test
    void anUnknownTypeIsNamed() {
      assertParseError("CAST(x AS varchar)").hasMessageContaining("expected a type (BOOLEAN, INT,"
          + " BIGINT, DOUBLE, STRING, TIMESTAMP or BINARY) but found 'varchar' at position 10");
    }

    @Test
    void binaryIsATypeNameInCast() {
      assertThat(((Cast) parse("CAST(value AS STRING)")).target()).isEqualTo(DataType.STRING);
      assertThat(((Cast) parse("cast(key as binary)")).target()).isEqualTo(DataType.BINARY);
      assertThat(sql("CAST(key AS Binary)")).isEqualTo("CAST(key AS BINARY)");
    }
  }

  @Nested
  class Calls {
    @Test
    void callsTakeArguments() {
      Call call = (Call) parse("substring(name, 1, 3)");
      assertThat(call.name()).isEqualTo("substring");
      assertThat(call.args()).hasSize(3);
      assertThat(call.distinct()).isFalse();
      assertThat(call.position()).isEqualTo(new Position(0, 21));
    }

    @Test
    void callsMayHaveNoArguments() {
      assertThat(((Call) parse("f()")).args()).isEmpty();
    }

    @Test
    void countStarHasAStarArgument() {
      Call call = (Call) parse("count(*)");
      assertThat(call.args()).singleElement().isInstanceOf(Star.class);
    }

    @Test
    void distinctIsAFlagOfTheCall() {
      Call call = (Call) parse("count(DISTINCT user)");
      assertThat(call.distinct()).isTrue();
      assertThat(call.args()).containsExactly(new ColumnRef("user", new Position(15, 4)));
    }

    @Test
    void aMissingClosingParenthesisIsNamedWithCarets() {
      assertParseError("sum(a + 1").hasMessage("[Sluice/ParseError] cannot parse expression:"
          + " expected ',' or ')' but found end of input at position 9\n"
          + "  sum(a + 1\n"
          + "           ^");
    }
  }

  @Nested
  class Aliases {
    @Test
    void asNamesTheResult() {
      Expr e = parse("a + 1 AS total");
      assertThat(e).isInstanceOf(Alias.class);
      assertThat(((Alias) e).name()).isEqualTo("total");
      assertThat(ExprPrinter.toSql(((Alias) e).operand())).isEqualTo("(a + 1)");
      assertThat(e.position()).isEqualTo(new Position(0, 14));
    }

    @Test
    void aBareNameAfterTheExpressionIsAnAliasLikeSparkSelectExpr() {
      assertThat(((Alias) parse("a + 1 total")).name()).isEqualTo("total");
      assertThat(((Alias) parse("upper(p) `Upper P`")).name()).isEqualTo("Upper P");
    }

    @Test
    void theAliasMustBeAName() {
      assertParseError("a AS 1").hasMessageContaining(
          "expected a column name after AS but found '1' at position 5");
    }

    @Test
    void onlyOneAlias() {
      assertParseError("a AS b c").hasMessageContaining(
          "unexpected 'c' after the end of the expression at position 7");
    }
  }

  @Nested
  class ErrorMessages {
    @Test
    void anEmptyExpression() {
      assertParseError("").hasMessage("[Sluice/ParseError] cannot parse expression: expected an"
          + " expression but found end of input at position 0\n  \n  ^");
    }

    @Test
    void aMissingOperand() {
      assertParseError("a +").hasMessageContaining(
          "expected an expression but found end of input at position 3");
    }

    @Test
    void aMissingParenthesis() {
      assertParseError("(a + 1").hasMessageContaining(
          "expected ')' but found end of input at position 6");
    }

    @Test
    void trailingTextAfterACompleteExpression() {
      assertParseError("a + 1 )").hasMessage("[Sluice/ParseError] cannot parse expression:"
          + " unexpected ')' after the end of the expression at position 6\n"
          + "  a + 1 )\n"
          + "        ^");
    }

    @Test
    void aCommaAtTheTopLevelSuggestsSeparateExpressions() {
      assertParseError("user, page").hasMessageContaining(
          "unexpected ',' after the end of the expression at position 4; each string holds one"
              + " expression");
    }

    @Test
    void caretsPointIntoTheRightLineOfMultiLineText() {
      assertParseError("a +\n  b $ c").hasMessage("[Sluice/ParseError] cannot parse expression:"
          + " unexpected '$' after the end of the expression at position 8\n"
          + "    b $ c\n"
          + "      ^");
    }

    @Test
    void tabsDoNotShiftTheCarets() {
      assertParseError("a\t+ ;").hasMessageEndingWith("\n  a + ;\n      ^");
    }

    @Test
    void longLinesAreCutToAWindowAroundThePosition() {
      String text = "a + " + "b + ".repeat(100) + "$";
      assertParseError(text).hasMessageEndingWith("\n  ..." + "b + ".repeat(10) + "$"
          + "\n     " + " ".repeat(40) + "^");
    }

    @Test
    void bitwiseAndBangOperatorsAreExplained() {
      assertParseError("a & b").hasMessageContaining("bitwise operators are not supported");
      assertParseError("!a").hasMessageContaining("write NOT for negation");
    }
  }

  @Nested
  class Printing {
    @Test
    void toSqlParsesBackToTheSameText() {
      String[] inputs = {
        "a + b * -c", "`my col` || 'it''s\\n'", "CASE x WHEN 1 THEN 2L ELSE 3.5 END",
        "count(DISTINCT `select`)", "ts - INTERVAL 90 SECONDS", "x NOT IN (1, NULL) AS `x y`",
        "NOT (a LIKE 'b\\%' OR c IS NOT NULL)", "CAST(x AS TIMESTAMP) <=> y"
      };
      for (String input : inputs) {
        String once = sql(input);
        assertThat(sql(once)).as(input).isEqualTo(once);
      }
    }

    @Test
    void defaultNamesFollowSpark() {
      assertThat(ExprPrinter.defaultName(parse("count(*)"))).isEqualTo("count(1)");
      assertThat(ExprPrinter.defaultName(parse("SUM(x)"))).isEqualTo("sum(x)");
      assertThat(ExprPrinter.defaultName(parse("count(DISTINCT x)"))).isEqualTo("count(DISTINCT x)");
      assertThat(ExprPrinter.defaultName(parse("a + 1"))).isEqualTo("(a + 1)");
      assertThat(ExprPrinter.defaultName(parse("CAST(x AS long)"))).isEqualTo("CAST(x AS BIGINT)");
      assertThat(ExprPrinter.defaultName(parse("`my col`"))).isEqualTo("my col");
      assertThat(ExprPrinter.defaultName(parse("upper(`my col`)"))).isEqualTo("upper(my col)");
      assertThat(ExprPrinter.defaultName(parse("'abc'"))).isEqualTo("'abc'");
      assertThat(ExprPrinter.defaultName(parse("a + 1 AS total"))).isEqualTo("total");
    }

    @Test
    void toSqlQuotesNamesThatNeedIt() {
      assertThat(sql("`my col` + `end` + `a``b` + plain"))
          .isEqualTo("(((`my col` + `end`) + `a``b`) + plain)");
    }

    @Test
    void positionsCoverTheWrittenText() {
      Binary b = (Binary) parse("(a + 1) * bc");
      assertThat(b.position()).isEqualTo(new Position(0, 12));
      assertThat(b.right().position()).isEqualTo(new Position(10, 2));
    }
  }

  /** Later stages recurse over the tree: text must not be able to overflow their stack. */
  @Nested
  class Depth {
    @Test
    void deeplyNestedParenthesesAreRefused() {
      String text = "(".repeat(10_000) + "1" + ")".repeat(10_000);
      assertParseError(text).hasMessageContaining(
          "expected an expression nested at most 64 levels deep but found a deeper one");
    }

    @Test
    void longChainsOfNotAndMinusAreRefused() {
      assertParseError("NOT ".repeat(10_000) + "a").hasMessageContaining("at most 64 levels");
      assertParseError("- ".repeat(10_000) + "a").hasMessageContaining("at most 64 levels");
    }

    @Test
    void veryLongOperatorChainsAreRefusedWithAShortMessage() {
      String text = "a" + " + a".repeat(5_000);
      assertParseError(text).hasMessageContaining("at most 256 levels")
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
    }

    @Test
    void realisticDepthsAreFine() {
      assertThat(parse("x = 0" + " OR x = 1".repeat(200))).isInstanceOf(Binary.class);
      assertThat(parse("(".repeat(63) + "1" + ")".repeat(63))).isInstanceOf(Literal.class);
    }

    @Test
    void theDeepestAcceptedNestingParsesOnASmallStack() throws InterruptedException {
      String text = "(".repeat(63) + "x" + ")".repeat(63);
      Throwable[] failure = new Throwable[1];
      Thread t = new Thread(null, () -> {
        try {
          parse(text);
        } catch (Throwable e) {
          failure[0] = e;
        }
      }, "small-stack", 512 * 1024);
      t.start();
      t.join();
      assertThat(failure[0]).isNull();
    }
  }

  /** Expression strings are user input: nothing in them may ever reach Java. */
  @Nested
  class Injection {
    @Test
    void closingTheExpressionAndAddingAStatement() {
      assertParseError("1); System.exit(1); (1").hasMessageContaining(
          "unexpected ')' after the end of the expression at position 1");
    }

    @Test
    void qualifiedJavaNames() {
      // A dotted name reads struct fields; a call after it is not an expression.
      assertParseError("java.lang.Runtime.getRuntime()").hasMessageContaining(
          "unexpected '(' after the end of the expression at position 28");
    }

    @Test
    void aUnicodeEscapeIsABackslashOutsideStrings() {
      assertParseError("\\u0029; System.exit(1); //").hasMessage("[Sluice/ParseError] cannot"
          + " parse expression: expected an expression but found '\\' at position 0; a backslash"
          + " is only allowed inside a string literal\n"
          + "  \\u0029; System.exit(1); //\n"
          + "  ^");
    }

    @Test
    void aUnicodeEscapeInsideAStringIsJustCharacters() {
      assertThat(literal("'\\u0029; System.exit(1); //'").value())
          .isEqualTo("\\u0029; System.exit(1); //");
    }

    @Test
    void blockComments() {
      assertParseError("/* */ 1").hasMessageContaining(
          "expected an expression but found '/*' at position 0; comments are not supported");
    }

    @Test
    void lineComments() {
      assertParseError("1 -- comment").hasMessageContaining(
          "unexpected '--' after the end of the expression at position 2; comments are not"
              + " supported");
    }

    @Test
    void doubleQuotedText() {
      assertParseError("\"abc\"").hasMessageContaining(
          "expected an expression but found '\"abc\"' at position 0; double quotes are not"
              + " supported: write 'abc' for a string or `abc` for a column name");
    }

    @Test
    void aDotAfterANameReadsAField() {
      assertThat(ExpressionParser.parse("a.b")).isInstanceOf(Expr.FieldAccess.class);
      assertParseError("a.1").hasMessageContaining(
          "unexpected '.1' after the end of the expression at position 1");
    }

    @Test
    void twoStatements() {
      assertParseError("x; y").hasMessageContaining(
          "unexpected ';' after the end of the expression at position 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a + 1; drop", "f(x) { return 1; }", "x $ y", "a /* x */", "new Object()",
        "'a' + \"b\"", "Runtime.getRuntime().exec('rm')", "a # b", "x) || (y", "a @ b"})
    void otherJavaOrSqlFragmentsAreRefused(String text) {
      assertParseError(text).hasMessageContaining("cannot parse expression");
    }
  }
}
