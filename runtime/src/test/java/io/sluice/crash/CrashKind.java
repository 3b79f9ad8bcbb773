package io.sluice.crash;

import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.sum;

import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import java.util.Locale;

/**
 * The queries the crash harness kills and restarts: one without state, and one aggregation in
 * each output mode that can show it.
 */
enum CrashKind {
  /** Filter and project, append mode, written by the JSON file sink. */
  STATELESS(OutputMode.APPEND),
  /** Count and sum per key, update mode: each batch emits the keys it changed. */
  UPDATE(OutputMode.UPDATE),
  /** Count and sum per key, complete mode: each batch emits the whole table. */
  COMPLETE(OutputMode.COMPLETE);

  /** Rows the stateless query drops, so that the filter has something to do. */
  static final long DROPPED_DIVISOR = 7;

  private final OutputMode mode;

  CrashKind(OutputMode mode) {
    this.mode = mode;
  }

  OutputMode mode() {
    return mode;
  }

  boolean aggregates() {
    return this != STATELESS;
  }

  Dataset<Row> query(Dataset<Payment> payments) {
    if (!aggregates()) {
      return payments.filter("amount % " + DROPPED_DIVISOR + " <> 0").select("key", "amount");
    }
    return payments.groupBy("key").agg(count("*").as("count"), sum("amount").as("sum"));
  }

  /** The name on command lines and in reports: {@code stateless}, {@code update}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static CrashKind of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
