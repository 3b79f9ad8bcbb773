package io.sluice.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SqlFunctionsTest {
  private static final long NEW_YEAR_2024 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

  private static void assertFails(ErrorKind kind, Runnable call, String messagePart) {
    assertThatThrownBy(call::run).isInstanceOf(SluiceException.class)
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(((SluiceException) e).kind()).isEqualTo(kind));
  }

  @Nested
  class Substring {
    @Test
    void positionsCountFromOne() {
      assertThat(SqlFunctions.substring("Spark SQL", 5)).isEqualTo("k SQL");
      assertThat(SqlFunctions.substring("Spark SQL", 5, 1)).isEqualTo("k");
      assertThat(SqlFunctions.substring("Spark SQL", 1, 5)).isEqualTo("Spark");
    }

    @Test
    void negativePositionsCountFromTheEnd() {
      assertThat(SqlFunctions.substring("Spark SQL", -3)).isEqualTo("SQL");
      assertThat(SqlFunctions.substring("Spark SQL", -3, 2)).isEqualTo("SQ");
    }

    @Test
    void positionZeroIsTheStart() {
      assertThat(SqlFunctions.substring("Spark SQL", 0, 3)).isEqualTo("Spa");
    }

    @Test
    void outOfRangeGivesWhatOverlapsAndNeverFails() {
      assertThat(SqlFunctions.substring("Spark SQL", -10, 3)).isEqualTo("Sp");
      assertThat(SqlFunctions.substring("Spark SQL", 100)).isEmpty();
      assertThat(SqlFunctions.substring("Spark SQL", 2, -1)).isEmpty();
      assertThat(SqlFunctions.substring("Spark SQL", 8, Integer.MAX_VALUE)).isEqualTo("QL");
      assertThat(SqlFunctions.substring("Spark", -7, 3)).isEqualTo("S");
      // As in Spark, the window [5 + MIN_VALUE, 5 + MIN_VALUE + MAX_VALUE) ends before index 4.
      assertThat(SqlFunctions.substring("Spark", Integer.MIN_VALUE, Integer.MAX_VALUE))
          .isEqualTo("Spar");
    }

    @Test
    void charactersOutsideTheBasicPlaneCountOnce() {
      String s = "a\uD83D\uDE00b";
      assertThat(SqlFunctions.length(s)).isEqualTo(3);
      assertThat(SqlFunctions.substring(s, 2, 1)).isEqualTo("\uD83D\uDE00");
      assertThat(SqlFunctions.substring(s, -1)).isEqualTo("b");
    }
  }

  @Nested
  class Strings {
    @Test
    void trimRemovesOnlySpacesLikeSpark() {
      assertThat(SqlFunctions.trim("  a b\t ")).isEqualTo("a b\t");
      assertThat(SqlFunctions.ltrim("  a ")).isEqualTo("a ");
      assertThat(SqlFunctions.rtrim("  a ")).isEqualTo("  a");
      assertThat(SqlFunctions.trim("   ")).isEmpty();
    }

    @Test
    void replaceWithAnEmptySearchChangesNothing() {
      assertThat(SqlFunctions.replace("abc", "", "x")).isEqualTo("abc");
      assertThat(SqlFunctions.replace("a.b.c", ".", "::")).isEqualTo("a::b::c");
      assertThat(SqlFunctions.replace("a.b.c", ".")).isEqualTo("abc");
    }

    @Test
    void caseChangesIgnoreTheDefaultLocale() {
      assertThat(SqlFunctions.upper("title")).isEqualTo("TITLE");
      assertThat(SqlFunctions.lower("TITLE")).isEqualTo("title");
    }
  }

  @Nested
  class Rounding {
    @Test
    void halvesRoundAwayFromZero() {
      assertThat(SqlFunctions.roundDouble(2.5)).isEqualTo(3.0);
      assertThat(SqlFunctions.roundDouble(-2.5)).isEqualTo(-3.0);
      assertThat(SqlFunctions.roundDouble(0.5)).isEqualTo(1.0);
    }

    @Test
    void roundingWorksOnTheDecimalTextOfTheDouble() {
      assertThat(SqlFunctions.roundDouble(0.285, 2)).isEqualTo(0.29);
      assertThat(SqlFunctions.roundDouble(1.2345, 3)).isEqualTo(1.235);
      assertThat(SqlFunctions.roundDouble(1234.5, -2)).isEqualTo(1200.0);
    }

    @Test
    void nanAndInfinityStay() {
      assertThat(SqlFunctions.roundDouble(Double.NaN, 1)).isNaN();
      assertThat(SqlFunctions.roundDouble(Double.POSITIVE_INFINITY)).isInfinite();
    }

    @Test
    void integersRoundToTensWithANegativeScale() {
      assertThat(SqlFunctions.roundInt(125, -1)).isEqualTo(130);
      assertThat(SqlFunctions.roundInt(-125, -1)).isEqualTo(-130);
      assertThat(SqlFunctions.roundInt(125, 2)).isEqualTo(125);
      assertThat(SqlFunctions.roundLong(1_499L, -3)).isEqualTo(1_000L);
    }

    @Test
    void roundingBeyondTheRangeFails() {
      assertFails(ErrorKind.ARITHMETIC, () -> SqlFunctions.roundInt(Integer.MAX_VALUE, -1),
          "out of range for INT");
      assertFails(ErrorKind.ARITHMETIC, () -> SqlFunctions.roundLong(Long.MAX_VALUE, -1),
          "out of range for BIGINT");
    }

    @Test
    void floorAndCeilGiveBigints() {
      assertThat(SqlFunctions.floorDouble(-1.5)).isEqualTo(-2L);
      assertThat(SqlFunctions.ceilDouble(1.2)).isEqualTo(2L);
      assertFails(ErrorKind.ARITHMETIC, () -> SqlFunctions.floorDouble(1e300), "floor");
      assertFails(ErrorKind.ARITHMETIC, () -> SqlFunctions.ceilDouble(Double.NaN), "ceil");
    }

    @Test
    void absOfTheSmallestIntegerOverflows() {
      assertThat(SqlFunctions.absInt(-3)).isEqualTo(3);
      assertFails(ErrorKind.ARITHMETIC, () -> SqlFunctions.absInt(Integer.MIN_VALUE), "abs");
      assertFails(ErrorKind.ARITHMETIC, () -> SqlFunctions.absLong(Long.MIN_VALUE), "abs");
    }

    @Test
    void logarithmWithABase() {
      assertThat(SqlFunctions.log(2.0, 8.0)).isCloseTo(3.0, Offset.offset(1e-12));
    }
  }

  /** The expected values are Spark's, e.g. {@code SELECT base64(X'616263')} is YWJj. */
  @Nested
  class Binary {
    private final byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);

    @Test
    void lengthCountsBytesNotCharacters() {
      assertThat(SqlFunctions.binaryLength(new byte[] {(byte) 0xc3, (byte) 0xa9})).isEqualTo(2);
      assertThat(SqlFunctions.length("\u00e9")).isEqualTo(1);
    }

    @Test
    void base64IsPaddedWithoutLineBreaks() {
      assertThat(SqlFunctions.base64(abc)).isEqualTo("YWJj");
      assertThat(SqlFunctions.base64(new byte[] {1})).isEqualTo("AQ==");
      assertThat(SqlFunctions.base64(new byte[100])).doesNotContain("\n").hasSize(136);
      assertThat(SqlFunctions.stringBase64("Spark SQL")).isEqualTo("U3BhcmsgU1FM");
    }

    @Test
    void unbase64ReadsBackAndSkipsLineBreaks() {
      assertThat(SqlFunctions.unbase64("YWJj")).isEqualTo(abc);
      assertThat(SqlFunctions.unbase64("YW\r\nJj")).isEqualTo(abc);
      assertFails(ErrorKind.EXECUTION, () -> SqlFunctions.unbase64("YQ=x"),
          "unbase64 cannot decode 'YQ=x'");
    }

    @Test
    void hexIsUpperCaseTwoDigitsPerByte() {
      assertThat(SqlFunctions.hex(new byte[] {0x0a, (byte) 0xff, 0})).isEqualTo("0AFF00");
      assertThat(SqlFunctions.stringHex("abc")).isEqualTo("616263");
      assertThat(SqlFunctions.longHex(17)).isEqualTo("11");
      assertThat(SqlFunctions.longHex(-1)).isEqualTo("FFFFFFFFFFFFFFFF");
    }

    @Test
    void unhexReadsEitherCaseAnOddDigitCountAndGivesNullForOtherText() {
      assertThat(SqlFunctions.unhex("616263")).isEqualTo(abc);
      assertThat(SqlFunctions.unhex("0aFf")).containsExactly(0x0a, 0xff);
      assertThat(SqlFunctions.unhex("123")).containsExactly(0x01, 0x23);
      assertThat(SqlFunctions.unhex("")).isEmpty();
      assertThat(SqlFunctions.unhex("GG")).isNull();
      assertThat(SqlFunctions.unhex("\u0661\u0662")).as("Arabic-Indic digits are not hex").isNull();
    }
  }

  @Nested
  class Timestamps {
    private final long leapDay = Instant.parse("2024-02-29T13:45:30.123Z").toEpochMilli();
    private final long beforeEpoch = Instant.parse("1969-12-31T23:59:58.500Z").toEpochMilli();

    @Test
    void fieldsAreReadInUtc() {
      assertThat(SqlFunctions.year(leapDay)).isEqualTo(2024);
      assertThat(SqlFunctions.month(leapDay)).isEqualTo(2);
      assertThat(SqlFunctions.dayOfMonth(leapDay)).isEqualTo(29);
      assertThat(SqlFunctions.hour(leapDay)).isEqualTo(13);
      assertThat(SqlFunctions.minute(leapDay)).isEqualTo(45);
      assertThat(SqlFunctions.second(leapDay)).isEqualTo(30);
    }

    @Test
    void fieldsBeforeTheEpochRoundDown() {
      assertThat(SqlFunctions.year(beforeEpoch)).isEqualTo(1969);
      assertThat(SqlFunctions.dayOfMonth(beforeEpoch)).isEqualTo(31);
      assertThat(SqlFunctions.hour(beforeEpoch)).isEqualTo(23);
      assertThat(SqlFunctions.second(beforeEpoch)).isEqualTo(58);
      assertThat(SqlFunctions.unixSeconds(beforeEpoch)).isEqualTo(-2L);
    }

    @Test
    void toTimestampReadsIsoTextLikeACast() {
      assertThat(SqlFunctions.toTimestamp("2024-01-01 00:00:00")).isEqualTo(NEW_YEAR_2024);
      assertThat(SqlFunctions.toTimestamp("2024-01-01")).isEqualTo(NEW_YEAR_2024);
    }

    @Test
    void toTimestampWithAPattern() {
      assertThat(SqlFunctions.toTimestamp("01/01/2024 02:30", "dd/MM/yyyy HH:mm"))
          .isEqualTo(NEW_YEAR_2024 + 9_000_000L);
      assertThat(SqlFunctions.toTimestamp("2024-01-01", "yyyy-MM-dd")).isEqualTo(NEW_YEAR_2024);
      assertThat(SqlFunctions.toTimestamp("2024-01-01 02:00 +02:00", "yyyy-MM-dd HH:mm XXX"))
          .isEqualTo(NEW_YEAR_2024);
    }

    @Test
    void textThatDoesNotMatchThePatternFailsNamingTheValue() {
      assertFails(ErrorKind.EXECUTION, () -> SqlFunctions.toTimestamp("soon", "yyyy-MM-dd"),
          "cannot parse 'soon' as a TIMESTAMP with pattern 'yyyy-MM-dd'");
      assertFails(ErrorKind.EXECUTION, () -> SqlFunctions.toTimestamp("10:00", "HH:mm"),
          "cannot parse '10:00'");
    }

    @Test
    void anInvalidPatternFailsNamingThePattern() {
      assertFails(ErrorKind.EXECUTION, () -> SqlFunctions.toTimestamp("x", "yyyy-{{"),
          "invalid datetime pattern 'yyyy-{{'");
    }

    @Test
    void dateFormatWritesUtc() {
      assertThat(SqlFunctions.dateFormat(NEW_YEAR_2024 + 9_000_000L, "yyyy-MM-dd HH:mm"))
          .isEqualTo("2024-01-01 02:30");
    }

    @Test
    void epochConversions() {
      assertThat(SqlFunctions.unixSeconds(NEW_YEAR_2024 + 999)).isEqualTo(1_704_067_200L);
      assertThat(SqlFunctions.timestampSeconds(1_704_067_200L)).isEqualTo(NEW_YEAR_2024);
      assertFails(ErrorKind.ARITHMETIC, () -> SqlFunctions.timestampSeconds(Long.MAX_VALUE),
          "timestamp_seconds");
    }

    @Test
    void manyDifferentPatternsKeepWorking() {
      for (int i = 0; i < 300; i++) {
        String pattern = "'" + i + "' yyyy";
        assertThat(SqlFunctions.dateFormat(NEW_YEAR_2024, pattern)).isEqualTo(i + " 2024");
      }
    }
  }
}
