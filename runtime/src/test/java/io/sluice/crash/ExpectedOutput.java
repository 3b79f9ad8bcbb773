package io.sluice.crash;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each kind's query must have written, computed in plain Java from the payments the harness
 * wrote, independently of the engine.
 */
final class ExpectedOutput {
  private ExpectedOutput() {}

  /** The stateless query's rows, {@code [key, amount]}, with how often each occurs. */
  static Map<List<Object>, Long> rows(List<Payment> payments) {
    Map<List<Object>, Long> rows = new HashMap<>();
    for (Payment p : payments) {
      if (p.amount() % CrashKind.DROPPED_DIVISOR != 0) {
        rows.merge(List.of(p.key(), p.amount()), 1L, Long::sum);
      }
    }
    return rows;
  }

  /** The aggregations' final count and sum per key. */
  static Map<String, Totals> totals(List<Payment> payments) {
    Map<String, Totals> totals = new HashMap<>();
    for (Payment p : payments) {
      totals.merge(p.key(), new Totals(1, p.amount()), Totals::plus);
    }
    return totals;
  }
}
