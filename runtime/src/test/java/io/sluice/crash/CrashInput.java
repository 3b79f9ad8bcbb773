package io.sluice.crash;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The input of a crash run, written a file at a time (a file to each input folder; for the Kafka
 * kind, a step of records sent to its topic) while the query runs, and what the kind's query must
 * have committed for it, computed in plain Java by {@link ExpectedOutput}.
 */
interface CrashInput extends AutoCloseable {

  /**
   * Payments for every kind that reads files but the join, which reads impressions and clicks; the
   * Kafka kind's input is a {@link KafkaInput}.
   */
  static CrashInput of(CrashKind kind, CrashFolders folders, Random random) {
    return kind == CrashKind.JOIN
        ? new JoinInputWriter(folders.input(), folders.rightInput(), random)
        : new InputWriter(folders.input(), random, kind);
  }

  /** Writes the next file. */
  void writeFile();

  /**
   * Writes the file the last run gets, which may end with rows that bring the final watermark
   * past every other row's state.
   */
  void writeLastFile();

  /** How many rows the files written so far hold, over all input folders. */
  long rows();

  /**
   * The rows a kind that writes to the JSON file sink must have committed, shaped as {@link
   * CommittedOutput#rows} reads them, with how often each occurs.
   */
  Map<List<Object>, Long> expectedRows();

  /** For the aggregations, which write {@link BatchFiles}: the final count and sum per key. */
  Map<String, Totals> expectedTotals();

  /** Lets go of what writing holds: nothing for files, a producer for Kafka. */
  @Override
  default void close() {}
}
