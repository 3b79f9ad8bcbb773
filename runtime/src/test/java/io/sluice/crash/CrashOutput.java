package io.sluice.crash;

import java.util.List;
import java.util.Map;

/**
 * Where a crash run's query writes, as the harness reads it back: the rows it committed, and
 * whether its sink had written a batch when the child was killed.
 */
interface CrashOutput {

  /**
   * The rows committed, shaped as {@link CrashInput#expectedRows} computes them, with how often
   * each occurs.
   */
  Map<List<Object>, Long> rows();

  /** Whether the sink committed batch {@code batchId}. */
  boolean wrote(long batchId);

  /** Whether the sink writes a batch in one transaction, which {@link #leftOpen} can see. */
  default boolean transactional() {
    return false;
  }

  /**
   * Whether a killed child left a transaction open that holds records: it was killed in the
   * middle of writing a batch. Only a {@link #transactional} sink can tell.
   */
  default boolean leftOpen() {
    return false;
  }
}
