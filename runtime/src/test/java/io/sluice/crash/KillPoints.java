package io.sluice.crash;

/**
 * Where in a batch the kills landed, read from the logs each killed child left: between batches,
 * inside a batch before its sink write, or in the narrow window after the sink committed a batch
 * and before the checkpoint did, which only exactly-once recovery survives unharmed; how many of
 * the kills inside a batch hit one without data, which only moves the watermark; and, for a sink
 * that writes in transactions, how many of the kills before its commit left one open with records
 * in it, which a restart must abort.
 */
final class KillPoints {
  private final boolean transactional;
  private int betweenBatches;
  private int beforeSinkWrite;
  private int inTransaction;
  private int afterSinkWrite;
  private int withoutData;

  /** Kill points of a run whose sink does, or does not, write in transactions. */
  KillPoints(boolean transactional) {
    this.transactional = transactional;
  }

  /** Classifies the kill of a child that wrote to {@code output} with {@code folders}. */
  void record(CrashFolders folders, CrashOutput output) {
    long logged = folders.lastLoggedBatch();
    if (logged == folders.lastCommittedBatch()) {
      betweenBatches++;
      return;
    }
    if (folders.withoutData(logged)) {
      withoutData++;
    }
    if (output.wrote(logged)) {
      afterSinkWrite++;
    } else {
      beforeSinkWrite++;
      if (output.leftOpen()) {
        inTransaction++;
      }
    }
  }

  /**
   * E.g. {@code between-batches=9 before-sink-write=8 after-sink-write=3 no-data-batch=1}; for a
   * transactional sink with {@code in-transaction=5} after it, of the kills before the sink write.
   */
  String summary() {
    return "between-batches=" + betweenBatches + " before-sink-write=" + beforeSinkWrite
        + " after-sink-write=" + afterSinkWrite + " no-data-batch=" + withoutData
        + (transactional ? " in-transaction=" + inTransaction : "");
  }
}
