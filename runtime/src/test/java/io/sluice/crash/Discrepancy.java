package io.sluice.crash;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** How a crash run's committed output differs from the expected one: what is lost, what doubled. */
record Discrepancy(long lost, long duplicated) {

  boolean none() {
    return lost == 0 && duplicated == 0;
  }

  /** Compares multisets of rows: each missing copy of a row is lost, each extra copy duplicated. */
  static <R> Discrepancy ofRows(Map<R, Long> expected, Map<R, Long> actual) {
    long lost = 0;
    long duplicated = 0;
    for (R row : union(expected.keySet(), actual.keySet())) {
      long difference = actual.getOrDefault(row, 0L) - expected.getOrDefault(row, 0L);
      lost += Math.max(0, -difference);
      duplicated += Math.max(0, difference);
    }
    return new Discrepancy(lost, duplicated);
  }

  /**
   * Compares totals per key, counting keys: one missing or counted short is lost, one counted
   * over (or unknown) is duplicated. A right count with a wrong sum is lost too: some payments
   * were replaced by others.
   */
  static Discrepancy ofTotals(Map<String, Totals> expected, Map<String, Totals> actual) {
    long lost = 0;
    long duplicated = 0;
    for (String key : union(expected.keySet(), actual.keySet())) {
      Totals want = expected.getOrDefault(key, new Totals(0, 0));
      Totals got = actual.getOrDefault(key, new Totals(0, 0));
      if (got.count() > want.count()) {
        duplicated++;
      } else if (!got.equals(want)) {
        lost++;
      }
    }
    return new Discrepancy(lost, duplicated);
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
