package io.sluice.internal.plan;

import io.sluice.internal.analysis.ScalarFunction;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A query declared as data, as a {@code @StreamQuery} annotation declares it: SQL-like clauses as
 * expression strings, plus the functions the query class provides. Read from the annotation by
 * reflection at run time and from source at build time. {@code watermark} is null without one;
 * at most one of the two deduplication lists is meant to be non-empty.
 */
public record QuerySpec(String name, @Nullable Watermark watermark, String where,
    List<String> dropDuplicates, List<String> dropDuplicatesWithinWatermark, List<String> groupBy,
    List<String> select, String having, List<ScalarFunction> functions) {

  /**
   * {@code @Watermark(column, delay)} as written; {@code markedEventTime} are the components of
   * the {@code from} type marked {@code @EventTime}, in order, of which one is the column when
   * {@code column} is empty.
   */
  public record Watermark(String column, String delay, List<String> markedEventTime) {}

  /**
   * The annotation member an error belongs to (a nested one as {@code watermark.delay}), and the
   * index within it (0 for single values).
   */
  public record Clause(String member, int index) {}
}
