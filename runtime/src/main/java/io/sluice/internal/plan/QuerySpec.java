package io.sluice.internal.plan;

import io.sluice.internal.analysis.ScalarFunction;
import java.util.List;

/**
 * A query declared as data, as a {@code @StreamQuery} annotation declares it: SQL-like clauses as
 * expression strings, plus the functions the query class provides. Read from the annotation by
 * reflection at run time and from source at build time.
 */
public record QuerySpec(String name, String where, List<String> groupBy, List<String> select,
    String having, List<ScalarFunction> functions) {

  /** The annotation member an error belongs to, and the index within it (0 for single values). */
  public record Clause(String member, int index) {}
}
