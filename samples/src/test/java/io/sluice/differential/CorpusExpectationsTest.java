package io.sluice.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.OutputMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Results of some corpus queries against expectations computed here in plain Java (or written by
 * hand), so that the differential test does not only compare two equally wrong answers. Both
 * paths are checked; {@link DifferentialCorpusTest} covers the rest of the corpus.
 */
class CorpusExpectationsTest {
  private static final List<Order> ORDERS = Inputs.orders();

  @Test
  void whereOnly() {
    expectPerBatch(ScalarQueries.WhereOnly.class,
        o -> (o.paid() && o.qty() > 2) || "ann".equals(o.customer()),
        o -> row(o.id(), o.qty(), o.customer()));
  }

  @Test
  void integerArithmeticTruncatesAndWidensAsJavaDoes() {
    expectPerBatch(ScalarQueries.IntArithmetic.class, o -> true, o -> {
      Integer rating = o.rating();
      boolean divisor = rating != null && rating != 0;
      return row(o.id(), o.qty() + 1, o.qty() - 10, o.qty() * 3, o.qty() / 4.0,
          (long) (o.qty() / 4), o.qty() % 4, -o.qty(), o.id() * 2 + o.qty(), o.id() % 7,
          o.id() / -3, rating == null ? null : rating % 3,
          o.discount() == null ? null : o.discount() / 7,
          divisor ? (long) (o.qty() / rating) : null, divisor ? o.qty() % rating : null,
          o.discount() == null || rating == null ? null : o.discount() * rating,
          (o.qty() + 2) * (o.qty() - 2), 2147483000 + o.qty(), o.qty() + 2.5,
          o.qty() * 1_000_000_000_000L);
    });
  }

  @Test
  void nullFunctions() {
    String[] columns = {"r", "label", "w", "g", "paidPrice", "notThree", "notAnn", "gr", "cl"};
    expectPerBatch(ScalarQueries.NullFunctions.class, columns, o -> true, o -> row(
        o.rating() == null ? 0 : o.rating(),
        o.coupon() != null ? o.coupon() : o.customer() != null ? o.customer() : "none",
        o.weight() == null ? -1.0 : o.weight(),
        o.gift() != null && o.gift(),
        o.paid() ? o.price() : 0.0,
        o.qty() == 3 ? null : o.qty(),
        "ann".equals(o.customer()) ? null : o.customer(),
        Math.max(Math.max(o.qty(), 2), o.rating() == null ? Integer.MIN_VALUE : o.rating()),
        o.discount() != null ? o.discount() : o.id()));
  }

  @Test
  void timeFunctionsReadTimestampsInUtc() {
    DateTimeFormatter text = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    String[] columns = {"y", "m", "d", "h", "mi", "s", "ut", "um", "text", "dayStart", "fixed"};
    expectPerBatch(ScalarQueries.TimeFunctions.class, columns, o -> true, o -> {
      ZonedDateTime t = o.placedAt().atZone(ZoneOffset.UTC);
      long millis = o.placedAt().toEpochMilli();
      return row(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
          t.getSecond(), Math.floorDiv(millis, 1000L), millis, text.format(t),
          t.toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
          Instant.parse("2024-02-03T04:05:06Z").toEpochMilli());
    });
  }

  /** Written out by hand: Spark's casts of text, ANSI mode, decimals truncated toward zero. */
  @Test
  void stringCastsByHand() {
    Map<String, List<Object>> byRaw = new TreeMap<>(Map.of(
        "12", row(12, 12L, 12.0, null),
        " 7 ", row(7, 7L, 7.0, null),
        "-3", row(-3, -3L, -3.0, null),
        "2.5", row(2, 2L, 2.5, null),
        "0", row(0, 0L, 0.0, false),
        "1", row(1, 1L, 1.0, true),
        "1e2", row(100, 100L, 100.0, null)));
    List<Object> nulls = row(null, null, null, null);
    expectPerBatch(ScalarQueries.CastsFromStrings.class,
        new String[] {"rawInt", "rawLong", "rawDouble", "rawBool"}, Inputs.readings(),
        r -> true, r -> r.raw() == null ? nulls : byRaw.get(r.raw()));
  }

  /** Written out by hand: literals at the edges of their types, string escapes. */
  @Test
  void literalsByHand() {
    List<Object> constants = row(-2147483648, 2147483647, Long.MIN_VALUE, Long.MAX_VALUE, 5L, 2.0,
        100.0, Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 0.30000000000000004, "it's",
        "tab\there\n", "\\u0041 stays six characters", "café 😀", Double.NaN,
        Double.NEGATIVE_INFINITY, -2147483648, true, null);
    expectPerBatch(ScalarQueries.Literals.class, new String[] {"minInt", "maxInt", "minLong",
        "maxLong", "fiveLong", "twoDouble", "hundred", "tiny", "huge", "negZero", "inexact",
        "quoted", "escaped", "notUnicode", "unicode", "nan", "negInf", "roundTrip", "truth",
        "nothing"}, o -> o.id() >= 0, o -> constants);
  }

  @Test
  void userFunctionsAreCalledOnlyWithValuesAndTheirNullsAreSqlNull() {
    expectPerBatch(UserFunctionQuery.class,
        o -> (o.customer() != null && UserFunctionQuery.isVip(o.customer())) || o.qty() >= 0,
        o -> row(o.id(), UserFunctionQuery.twice(o.id()), UserFunctionQuery.twice((long) o.qty()),
            o.customer() == null ? null : UserFunctionQuery.twice(o.customer()),
            UserFunctionQuery.bucket(o.qty(), 3), UserFunctionQuery.scale(o.price()),
            o.customer() == null ? null : UserFunctionQuery.isVip(o.customer()),
            o.customer() == null ? null : UserFunctionQuery.initials(o.customer()),
            o.rating() == null ? null : UserFunctionQuery.parity(o.rating()),
            UserFunctionQuery.tagFor(o.id()),
            o.weight() == null ? null : UserFunctionQuery.safeRatio(o.price(), o.weight()),
            o.coupon() == null ? null : UserFunctionQuery.exclaim(o.coupon()),
            o.gift() == null ? null : UserFunctionQuery.maybeGift(o.gift())));
  }

  @Test
  void intoRecordKeepsColumnsByName() {
    expectPerBatch(OrderSummaries.class, o -> o.qty() > 0, o -> row(o.id(),
        o.customer() == null ? "?" : o.customer(), o.price() * o.qty(),
        o.placedAt().toEpochMilli()));
  }

  @Test
  void countsPerCustomerUpdateTheGroupsOfEachBatch() {
    Corpus.Query query = Corpus.Query.of(AggregateQueries.CountsPerCustomer.class);
    for (boolean buildTime : new boolean[] {true, false}) {
      CorpusRunner.Result result = CorpusRunner.run(query, buildTime, OutputMode.UPDATE);
      for (int b = 0; b < Inputs.BATCHES; b++) {
        List<Order> seen = ORDERS.subList(0, (b + 1) * Inputs.PER_BATCH);
        List<List<Object>> expected = new ArrayList<>();
        for (String customer : keys(Inputs.batch(ORDERS, b), Order::customer)) {
          List<Order> group = seen.stream().filter(o -> Objects.equals(o.customer(), customer))
              .toList();
          expected.add(row(customer, (long) group.size(), count(group, Order::coupon),
              distinct(group, Order::rating), distinct(group, Order::coupon)));
        }
        assertThat(result.batches().get(b)).as("batch %d, build time %s", b, buildTime)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  @Test
  void intoRecordReordersAndWidensAnAggregation() {
    Corpus.Query query = Corpus.Query.of(QtyStatsQuery.class);
    for (boolean buildTime : new boolean[] {true, false}) {
      CorpusRunner.Result result = CorpusRunner.run(query, buildTime, OutputMode.UPDATE);
      for (int b = 0; b < Inputs.BATCHES; b++) {
        List<Order> seen = ORDERS.subList(0, (b + 1) * Inputs.PER_BATCH);
        List<List<Object>> expected = new ArrayList<>();
        for (String customer : keys(Inputs.batch(ORDERS, b), Order::customer)) {
          double total = seen.stream().filter(o -> Objects.equals(o.customer(), customer))
              .mapToLong(Order::qty).sum();
          expected.add(row(total, customer));
        }
        assertThat(result.batches().get(b)).containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  @Test
  void globalAggregationInCompleteMode() {
    List<Object> expected = row(
        (long) ORDERS.size(),
        count(ORDERS, Order::coupon),
        ORDERS.stream().mapToLong(Order::qty).sum(),
        ORDERS.stream().mapToDouble(Order::price).sum() / ORDERS.size(),
        ORDERS.stream().mapToLong(o -> o.placedAt().toEpochMilli()).min().orElseThrow(),
        "😀dan",
        distinct(ORDERS, Order::customer),
        ORDERS.stream().map(Order::discount).filter(Objects::nonNull).mapToLong(d -> d).sum());
    assertThat(expected.get(4)).as("the order placed before 1970").isEqualTo(-500L);
    for (List<List<Object>> last : lastTables(AggregateQueries.GlobalAggregation.class)) {
      assertThat(last).containsExactly(expected);
    }
  }

  @Test
  void havingFiltersTheOutputRows() {
    List<List<Object>> expected = new ArrayList<>();
    Set<String> customers = keys(ORDERS, Order::customer);
    for (String customer : customers) {
      List<Order> group = ORDERS.stream().filter(o -> Objects.equals(o.customer(), customer))
          .toList();
      long n = group.size();
      long total = group.stream().mapToLong(Order::qty).sum();
      if (n >= 4 && total > 8) {
        expected.add(row(customer, n, total));
      }
    }
    assertThat(expected).isNotEmpty().hasSizeLessThan(customers.size());
    for (List<List<Object>> last : lastTables(AggregateQueries.HavingFilter.class)) {
      assertThat(last).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  // ---- helpers

  private static void expectPerBatch(Class<?> query, Predicate<Order> where,
      Function<Order, List<Object>> select) {
    expectPerBatch(query, null, ORDERS, where, select);
  }

  private static void expectPerBatch(Class<?> query, String[] columns, Predicate<Order> where,
      Function<Order, List<Object>> select) {
    expectPerBatch(query, columns, ORDERS, where, select);
  }

  /** A stateless query: each batch holds exactly the selected input rows of that batch. */
  private static <T> void expectPerBatch(Class<?> query, String[] columns, List<T> input,
      Predicate<T> where, Function<T, List<Object>> select) {
    for (boolean buildTime : new boolean[] {true, false}) {
      CorpusRunner.Result result =
          CorpusRunner.run(Corpus.Query.of(query), buildTime, OutputMode.APPEND);
      for (int b = 0; b < Inputs.BATCHES; b++) {
        List<List<Object>> expected = Inputs.batch(input, b).stream().filter(where).map(select)
            .toList();
        List<List<Object>> actual = columns == null ? result.batches().get(b)
            : result.batch(b, columns);
        assertThat(actual).as("%s, batch %d, build time %s", query.getSimpleName(), b, buildTime)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
    }
  }

  /** The last complete-mode table, with build-time stages and with Janino. */
  private static List<List<List<Object>>> lastTables(Class<?> query) {
    List<List<List<Object>>> tables = new ArrayList<>();
    for (boolean buildTime : new boolean[] {true, false}) {
      CorpusRunner.Result result =
          CorpusRunner.run(Corpus.Query.of(query), buildTime, OutputMode.COMPLETE);
      tables.add(result.batches().get(Inputs.BATCHES - 1));
    }
    return tables;
  }

  private static <K> Set<K> keys(List<Order> orders, Function<Order, K> key) {
    Set<K> keys = new LinkedHashSet<>();
    orders.forEach(o -> keys.add(key.apply(o)));
    return keys;
  }

  private static long count(List<Order> orders, Function<Order, ?> value) {
    return orders.stream().map(value).filter(Objects::nonNull).count();
  }

  private static long distinct(List<Order> orders, Function<Order, ?> value) {
    return orders.stream().map(value).filter(Objects::nonNull).distinct().count();
  }

  private static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
