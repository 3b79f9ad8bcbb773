package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.Fixtures.CLICK;
import static io.sluice.processor.Fixtures.ORDER;
import static io.sluice.processor.Fixtures.compile;
import static io.sluice.processor.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in annotated classes are javac errors, in the engine's words and on the annotation
 * value (or element) at fault: each test asserts the whole text, that it is the only error, and
 * the line it is reported on.
 */
class DiagnosticsTest {
  @Test
  void unknownColumnInWhere() {
    JavaFileObject query = source("shop.HomeViews", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            where = "pgae = '/home'",
            select = "user")
        public interface HomeViews {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnknownColumn] column 'pgae' not found; available: user, page, ts \
        (did you mean 'page'?)
          pgae = '/home'
          ^^^^""", query, "where = \"pgae");
  }

  @Test
  void unknownColumnInSecondSelectItem() {
    JavaFileObject query = source("shop.Visitors", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            select = {
              "page",
              "usr AS visitor"
            })
        public interface Visitors {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnknownColumn] column 'usr' not found; available: user, page, ts \
        (did you mean 'user'?)
          usr AS visitor
          ^^^""", query, "\"usr AS visitor\"");
  }

  @Test
  void unknownColumnInGroupBy() {
    JavaFileObject query = source("shop.PageViews", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = {"user", "pgae"},
            select = {"count(*) AS views"})
        public interface PageViews {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnknownColumn] column 'pgae' not found; available: user, page, ts \
        (did you mean 'page'?)
          pgae
          ^^^^""", query, "groupBy =");
  }

  @Test
  void unknownColumnInHavingListsTheOutputColumns() {
    JavaFileObject query = source("shop.PopularPages", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {"page", "count(*) AS views"},
            having = "view > 100")
        public interface PopularPages {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnknownColumn] column 'view' not found; available: page, views \
        (did you mean 'views'?)
          view > 100
          ^^^^""", query, "having =");
  }

  @Test
  void typeMismatch() {
    JavaFileObject query = source("shop.NextPage", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            select = {"user", "page + 1 AS next"})
        public interface NextPage {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/TypeMismatch] cannot apply '+' to 'page' (STRING) and 1 (INT); a STRING is not \
        converted to INT implicitly: write CAST(page AS INT)
          page + 1 AS next
          ^^^^^^^^""", query, "select =");
  }

  @Test
  void filterThatIsNotBoolean() {
    JavaFileObject query = source("shop.Pages", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            where = "page",
            select = "page")
        public interface Pages {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/TypeMismatch] filter condition must be BOOLEAN, but 'page' is STRING
          page
          ^^^^""", query, "where =");
  }

  @Test
  void aggregateInWhere() {
    JavaFileObject query = source("shop.BusyPages", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            where = "count(*) > 10",
            groupBy = "page",
            select = "page")
        public interface BusyPages {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/InvalidAggregate] aggregate function 'count' is not allowed here: aggregates \
        belong in the aggregation of a grouped query (groupBy(...).agg(...)), not in per-row \
        expressions such as filters
          count(*) > 10
          ^^^^^^^^""", query, "where =");
  }

  @Test
  void nestedAggregates() {
    JavaFileObject query = source("shop.Totals", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {"page", "sum(count(*)) AS total"})
        public interface Totals {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/InvalidAggregate] aggregate function 'count' cannot be used inside another \
        aggregate function ('sum')
          sum(count(*)) AS total
              ^^^^^^^^""", query, "select =");
  }

  @Test
  void columnNeitherGroupedNorAggregated() {
    JavaFileObject query = source("shop.ViewsPerPage", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {
              "page",
              "user",
              "count(*) AS views"
            })
        public interface ViewsPerPage {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/InvalidAggregate] column 'user' is neither"
        + " grouped nor inside an aggregate function; grouped by: [page]; input columns: user,"
        + " page, ts", query, "\"user\",");
  }

  @Test
  void countDistinctStar() {
    JavaFileObject query = source("shop.DistinctRows", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {"page", "count(DISTINCT *) AS rows"})
        public interface DistinctRows {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnsupportedOperation] count(DISTINCT *) is not supported; count the distinct \
        values of one column
          count(DISTINCT *) AS rows
          ^^^^^^^^^^^^^^^^^""", query, "select =");
  }

  @Test
  void distinctOutsideCount() {
    JavaFileObject query = source("shop.DistinctSum", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {"page", "sum(DISTINCT ts) AS total"})
        public interface DistinctSum {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnsupportedOperation] DISTINCT is only supported in count(DISTINCT x), not in \
        sum(...)
          sum(DISTINCT ts) AS total
          ^^^^^^^^^^^^^^^^""", query, "select =");
  }

  @Test
  void countDistinctOfTwoColumns() {
    JavaFileObject query = source("shop.Pairs", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {"page", "count(DISTINCT user, ts) AS pairs"})
        public interface Pairs {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/WrongArguments] function 'count' expects (*) or (any type) but got \
        (STRING, BIGINT)
          count(DISTINCT user, ts) AS pairs
          ^^^^^^^^^^^^^^^^^^^^^^^^""", query, "select =");
  }

  @Test
  void parseErrorPointsAtTheToken() {
    JavaFileObject query = source("shop.Broken", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            where = "page = = '/home'",
            select = "user")
        public interface Broken {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/ParseError] cannot parse expression: expected an expression but found '=' at \
        position 7
          page = = '/home'
                 ^""", query, "where =");
  }

  @Test
  void unknownFunctionWithSuggestion() {
    JavaFileObject query = source("shop.Shout", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            select = {"page", "uper(user) AS name"})
        public interface Shout {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnknownFunction] function 'uper' not found (did you mean 'upper'?)
          uper(user) AS name
          ^^^^^^^^^^""", query, "select =");
  }

  @Test
  void emptySelect() {
    JavaFileObject query = source("shop.Nothing", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            select = {})
        public interface Nothing {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/UnsupportedOperation] a query needs at least"
        + " one output column in select", query, "select = {}");
  }

  @Test
  void nonPublicEventType() {
    JavaFileObject event = source("shop.Secret", """
        package shop;

        import io.sluice.annotations.Event;

        @Event
        record Secret(String user, long ts) {}
        """);

    assertOnlyError(compile(event), "[Sluice/InvalidEventType] cannot use shop.Secret as an event"
        + " type: it must be public, and so must any class it is nested in, so that generated code"
        + " can read it", event, "record Secret");
  }

  @Test
  void queryFromNonPublicRecordIsReportedOnFrom() {
    JavaFileObject event = source("shop.Outer", """
        package shop;

        public class Outer {
          record Hidden(String user, long ts) {}
        }
        """);
    JavaFileObject query = source("shop.HiddenUsers", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Outer.Hidden.class,
            select = "user")
        public interface HiddenUsers {}
        """);

    assertOnlyError(compile(event, query), "[Sluice/InvalidEventType] cannot use"
        + " shop.Outer.Hidden as an event type: it must be public, and so must any class it is"
        + " nested in, so that generated code can read it", query, "from =");
  }

  @Test
  void eventComponentOfUnsupportedType() {
    JavaFileObject event = source("shop.Visit", """
        package shop;

        import io.sluice.annotations.Event;
        import java.util.Date;

        @Event
        public record Visit(String page, Date at) {}
        """);

    assertOnlyError(compile(event), "[Sluice/InvalidEventType] cannot use shop.Visit as an event"
        + " type: component 'at' has type java.util.Date; supported: long, int, double, boolean,"
        + " their boxes, String, java.time.Instant, byte[]", event, "public record Visit");
  }

  @Test
  void genericComponentIsNamedErasedAsAtRunTime() {
    JavaFileObject event = source("shop.Tagged", """
        package shop;

        import io.sluice.annotations.Event;
        import java.util.List;

        @Event
        public record Tagged(String page, List<String> tags) {}
        """);

    assertOnlyError(compile(event), "[Sluice/InvalidEventType] cannot use shop.Tagged as an event"
        + " type: component 'tags' has type java.util.List; supported: long, int, double, boolean,"
        + " their boxes, String, java.time.Instant, byte[]", event, "public record Tagged");
  }

  @Test
  void eventComponentNamedSchemaWouldBreakTheMetamodel() {
    JavaFileObject event = source("shop.Versioned", """
        package shop;

        import io.sluice.annotations.Event;

        @Event
        public record Versioned(String SCHEMA, long ts) {}
        """);

    assertOnlyError(compile(event), "[Sluice/InvalidEventType] cannot generate the metamodel of"
        + " shop.Versioned: component 'SCHEMA' would clash with its SCHEMA constant; rename the"
        + " component or remove @Event", event, "public record Versioned");
  }

  @Test
  void intoRecordNamesAColumnTheQueryDoesNotProduce() {
    JavaFileObject into = source("shop.PageShare", """
        package shop;

        public record PageShare(String page, long views, double share) {}
        """);
    JavaFileObject query = source("shop.Shares", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {"page", "count(*) AS views"},
            into = PageShare.class)
        public interface Shares {}
        """);

    assertOnlyError(compile(CLICK, into, query),
        "[Sluice/UnknownColumn] column 'share' not found; available: page, views", query,
        "into =");
  }

  @Test
  void nonStaticSqlFunctionIsReportedOnTheMethod() {
    JavaFileObject query = source("shop.Loud", """
        package shop;

        import io.sluice.annotations.SqlFunction;
        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            select = {"shout(page) AS loud"})
        public class Loud {
          @SqlFunction
          public String shout(String s) {
            return s.toUpperCase();
          }
        }
        """);

    assertOnlyError(compile(CLICK, query),
        "[Sluice/UnsupportedOperation] @SqlFunction Loud.shout must be public and static", query,
        "@SqlFunction");
  }

  @Test
  void sqlFunctionWithUnsupportedParameterTypeIsReportedOnTheMethod() {
    JavaFileObject query = source("shop.Dated", """
        package shop;

        import io.sluice.annotations.SqlFunction;
        import io.sluice.annotations.StreamQuery;
        import java.util.Date;

        @StreamQuery(
            from = Click.class,
            select = {"page", "year(ts) AS year"})
        public final class Dated {
          private Dated() {}

          @SqlFunction(name = "year")
          public static int yearOf(Date date) {
            return date.getYear() + 1900;
          }
        }
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/UnsupportedOperation] function 'year'"
        + " (Dated.yearOf) cannot take java.util.Date as a parameter; supported: long, int,"
        + " double, boolean, their boxes, String, byte[]", query,
        "@SqlFunction(name = \"year\")");
  }

  @Test
  void everyBadSqlFunctionIsReported() {
    JavaFileObject query = source("shop.TwoBad", """
        package shop;

        import io.sluice.annotations.SqlFunction;
        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            select = "page")
        public class TwoBad {
          @SqlFunction static long hidden(long x) {
            return x;
          }

          @SqlFunction public static Object anything(long x) {
            return x;
          }
        }
        """);

    Compilation compilation = compile(CLICK, query);

    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("[Sluice/UnsupportedOperation] @SqlFunction TwoBad.hidden must be"
            + " public and static")
        .inFile(query).onLineContaining("static long hidden");
    assertThat(compilation)
        .hadErrorContaining("[Sluice/UnsupportedOperation] function 'anything'"
            + " (TwoBad.anything) cannot take java.lang.Object as its result; supported: long,"
            + " int, double, boolean, their boxes, String")
        .inFile(query).onLineContaining("public static Object anything");
  }

  @Test
  void watermarkOnAnUnknownColumnIsReportedOnTheColumn() {
    JavaFileObject query = source("shop.LateViews", """
        package shop;

        import io.sluice.annotations.StreamQuery;
        import io.sluice.annotations.Watermark;

        @StreamQuery(
            from = Click.class,
            watermark = @Watermark(
                column = "time",
                delay = "10 seconds"),
            select = "page")
        public interface LateViews {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/UnknownColumn] column 'time' not found;"
        + " available: user, page, ts", query, "column = \"time\"");
  }

  @Test
  void watermarkOnAColumnThatIsNotATime() {
    JavaFileObject query = source("shop.LateViews", """
        package shop;

        import io.sluice.annotations.StreamQuery;
        import io.sluice.annotations.Watermark;

        @StreamQuery(
            from = Click.class,
            watermark = @Watermark(column = "page", delay = "10 seconds"),
            select = "page")
        public interface LateViews {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/TypeMismatch] the event-time column 'page'"
        + " of withWatermark must be a TIMESTAMP or a BIGINT of epoch milliseconds, but it is"
        + " STRING", query, "watermark =");
  }

  @Test
  void watermarkDelayThatIsNotAnIntervalIsReportedOnTheDelay() {
    JavaFileObject query = source("shop.LateViews", """
        package shop;

        import io.sluice.annotations.StreamQuery;
        import io.sluice.annotations.Watermark;

        @StreamQuery(
            from = Click.class,
            watermark = @Watermark(
                column = "ts",
                delay = "10 parsecs"),
            select = "page")
        public interface LateViews {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/WrongArguments] invalid delay threshold of"
        + " withWatermark: '10 parsecs' is not an interval; write it like '10 seconds' or"
        + " '1 hour 30 minutes', with units millisecond, second, minute, hour, day or week", query,
        "delay =");
  }

  @Test
  void negativeWatermarkDelay() {
    JavaFileObject query = source("shop.LateViews", """
        package shop;

        import io.sluice.annotations.StreamQuery;
        import io.sluice.annotations.Watermark;

        @StreamQuery(
            from = Click.class,
            watermark = @Watermark(delay = "-5 seconds"),
            select = "page")
        public interface LateViews {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/WrongArguments] the delay threshold of"
        + " withWatermark (-5 seconds) must not be negative", query, "watermark =");
  }

  @Test
  void watermarkWithoutColumnNeedsAnEventTimeComponent() {
    JavaFileObject query = source("shop.LateOrders", """
        package shop;

        import io.sluice.annotations.StreamQuery;
        import io.sluice.annotations.Watermark;

        @StreamQuery(
            from = Order.class,
            watermark = @Watermark(delay = "1 minute"),
            select = "product")
        public interface LateOrders {}
        """);

    assertOnlyError(compile(ORDER, query), "[Sluice/UnknownColumn] the watermark names no column"
        + " and no component of the 'from' type is marked @EventTime: name the event-time column"
        + " in @Watermark(column = ...), or mark it @EventTime; available: customer, product,"
        + " quantity, price, discountCents, ts", query, "watermark =");
  }

  @Test
  void watermarkWithoutColumnOverTwoEventTimeComponents() {
    JavaFileObject event = source("shop.Delivery", """
        package shop;

        import io.sluice.annotations.EventTime;
        import java.time.Instant;

        public record Delivery(String parcel, @EventTime Instant sent, @EventTime long received) {}
        """);
    JavaFileObject query = source("shop.LateDeliveries", """
        package shop;

        import io.sluice.annotations.StreamQuery;
        import io.sluice.annotations.Watermark;

        @StreamQuery(
            from = Delivery.class,
            watermark = @Watermark(delay = "1 hour"),
            select = "parcel")
        public interface LateDeliveries {}
        """);

    assertOnlyError(compile(event, query), "[Sluice/AmbiguousColumn] the watermark names no"
        + " column and the 'from' type marks more than one component @EventTime (sent, received):"
        + " name the event-time column in @Watermark(column = ...)", query, "watermark =");
  }

  @Test
  void unknownColumnInSecondDropDuplicatesKey() {
    JavaFileObject query = source("shop.FirstVisits", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            dropDuplicates = {
              "user",
              "pgae"
            },
            select = {"user", "page"})
        public interface FirstVisits {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/UnknownColumn] dropDuplicates: column 'pgae'"
        + " not found; available: user, page, ts", query, "\"pgae\"");
  }

  @Test
  void dropDuplicatesWithinWatermarkNeedsAWatermark() {
    JavaFileObject query = source("shop.FirstVisits", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            dropDuplicatesWithinWatermark = "user",
            select = {"user", "page"})
        public interface FirstVisits {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/UnsupportedOperation]"
        + " dropDuplicatesWithinWatermark needs a watermark on its input, as in Spark:"
        + " withWatermark before it, or the watermark of its @StreamQuery", query,
        "dropDuplicatesWithinWatermark =");
  }

  @Test
  void bothDeduplicationsAtOnce() {
    JavaFileObject query = source("shop.FirstVisits", """
        package shop;

        import io.sluice.annotations.StreamQuery;
        import io.sluice.annotations.Watermark;

        @StreamQuery(
            from = Click.class,
            watermark = @Watermark(delay = "1 minute"),
            dropDuplicates = "user",
            dropDuplicatesWithinWatermark = "page",
            select = {"user", "page"})
        public interface FirstVisits {}
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/UnsupportedOperation] a query may"
        + " deduplicate once; merge its dropDuplicates and dropDuplicatesWithinWatermark into one",
        query, "dropDuplicatesWithinWatermark =");
  }

  @Test
  void windowKeyUnknownInSelectWithoutWindowGrouping() {
    JavaFileObject query = source("shop.Minutes", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        @StreamQuery(
            from = Click.class,
            groupBy = "page",
            select = {"window.start AS minute", "page", "count(*) AS views"})
        public interface Minutes {}
        """);

    assertOnlyError(compile(CLICK, query), """
        [Sluice/UnknownColumn] column 'window' not found; available: user, page, ts
          window.start AS minute
          ^^^^^^""", query, "select =");
  }

  @Test
  void privateQueryClassIsReportedInsteadOfGeneratingCodeThatCannotCompile() {
    JavaFileObject query = source("shop.Reports", """
        package shop;

        import io.sluice.annotations.StreamQuery;

        public final class Reports {
          private Reports() {}

          @StreamQuery(from = Click.class, select = "page")
          private interface Pages {}
        }
        """);

    assertOnlyError(compile(CLICK, query), "[Sluice/UnsupportedOperation] @StreamQuery class"
        + " shop.Reports.Pages must not be private, nor nested in a private class: the classes"
        + " generated for it refer to it", query, "@StreamQuery(from = Click.class");
  }

  /**
   * {@code engineMessage} is the engine's text; javac shows a multi-line diagnostic with its
   * detail lines (here, the source line and the carets) indented two more spaces.
   */
  static String asJavacShowsIt(String engineMessage) {
    return engineMessage.replace("\n", "\n  ");
  }

  static void assertOnlyError(Compilation compilation, String engineMessage,
      JavaFileObject file, String line) {
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(asJavacShowsIt(engineMessage))
        .inFile(file).onLineContaining(line);
    assertThat(compilation.errors().get(0).getMessage(null))
        .isEqualTo(asJavacShowsIt(engineMessage));
  }
}
