package io.sluice.crash;

/** The aggregation kinds' result for one key: how many payments, and their sum. */
record Totals(long count, long sum) {

  Totals plus(Totals other) {
    return new Totals(count + other.count, sum + other.sum);
  }
}
