package io.sluice.api;

import static io.sluice.api.ApiTestSupport.multiset;
import static io.sluice.api.ApiTestSupport.row;
import static io.sluice.api.ApiTestSupport.values;
import static io.sluice.fixtures.Tick.T0;
import static io.sluice.fixtures.Tick.at;
import static io.sluice.fixtures.Tick.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.StreamQuery;
import io.sluice.annotations.Watermark;
import io.sluice.fixtures.Tick;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the engine plans the event-time members of {@code @StreamQuery} (here without the
 * processor, so Janino compiles the stages): clause order, {@code "*"} keys, window keys read by
 * name in select. Expected rows are worked out by hand.
 */
public class AnnotatedEventTimeTest {
  private final Sluice engine = Sluice.create();

  @AfterEach
  void close() {
    engine.close();
  }

  private List<Row> run(Class<?> query, Tick... ticks) {
    return engine.createDataset(List.of(ticks), Tick.class).query(query).collectAsList();
  }

  /** Every column is the key. */
  @StreamQuery(from = Tick.class, dropDuplicates = "*", select = {"key", "time"})
  public interface DistinctTicks {}

  @Test
  void aStarKeyIsEveryColumn() {
    List<Row> rows = run(DistinctTicks.class, at("a", 1), at("a", 1), at("a", 2));

    assertThat(multiset(values(rows))).isEqualTo(multiset(List.of(row("a", ms(1)),
        row("a", ms(2)))));
  }

  /** Where filters before the deduplication sees a row. */
  @StreamQuery(
      from = Tick.class,
      watermark = @Watermark(column = "time", delay = "1 minute"),
      where = "value > 0",
      dropDuplicates = "key",
      select = {"key", "value"})
  public interface FirstPositive {}

  @Test
  void whereComesBeforeTheDeduplication() {
    List<Row> rows = run(FirstPositive.class, new Tick("a", T0, 0),
        new Tick("a", T0.plusSeconds(1), 5), new Tick("a", T0.plusSeconds(2), 7));

    assertThat(values(rows)).containsExactly(row("a", 5L));
  }

  /** A window key with an alias is read by the alias. */
  @StreamQuery(
      from = Tick.class,
      groupBy = "window(time, '10 seconds') AS w",
      select = {"w.end AS until", "count(*) AS n"})
  public interface TenSecondCounts {}

  @Test
  void aWindowKeyIsReadByItsAlias() {
    List<Row> rows = run(TenSecondCounts.class, at("a", 1), at("b", 2), at("a", 12));

    assertThat(multiset(values(rows))).isEqualTo(multiset(List.of(row(ms(10), 2L),
        row(ms(20), 1L))));
  }

  /** A session window key is read as {@code session_window}, as Spark names it. */
  @StreamQuery(
      from = Tick.class,
      groupBy = {"session_window(time, '5 seconds')", "key"},
      select = {"key", "session_window.start AS first", "session_window.end AS last",
          "count(*) AS n"})
  public interface Sessions {}

  @Test
  void aSessionWindowKeyIsReadAsSessionWindow() {
    // a: 1 s and 3 s merge into [1 s, 8 s); 20 s is a session of its own.
    List<Row> rows = run(Sessions.class, at("a", 1), at("a", 3), at("a", 20));

    assertThat(multiset(values(rows))).isEqualTo(multiset(List.of(row("a", ms(1), ms(8), 2L),
        row("a", ms(20), ms(25), 1L))));
  }
}
