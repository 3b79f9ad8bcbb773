package io.sluice.crash;

/**
 * Where in a batch the kills landed, read from the logs each killed child left: between batches,
 * inside a batch before its sink write, or in the narrow window after the sink committed a batch
 * and before the checkpoint did, which only exactly-once recovery survives unharmed; and how many
 * of the kills inside a batch hit one without data, which only moves the watermark.
 */
final class KillPoints {
  private int betweenBatches;
  private int beforeSinkWrite;
  private int afterSinkWrite;
  private int withoutData;

  /** Classifies the kill of a child that ran {@code kind} on {@code folders}. */
  void record(CrashKind kind, CrashFolders folders) {
    long logged = folders.lastLoggedBatch();
    if (logged == folders.lastCommittedBatch()) {
      betweenBatches++;
      return;
    }
    if (folders.withoutData(logged)) {
      withoutData++;
    }
    if (CommittedOutput.sinkWrote(kind, folders, logged)) {
      afterSinkWrite++;
    } else {
      beforeSinkWrite++;
    }
  }

  /** E.g. {@code between-batches=9 before-sink-write=8 after-sink-write=3 no-data-batch=1}. */
  String summary() {
    return "between-batches=" + betweenBatches + " before-sink-write=" + beforeSinkWrite
        + " after-sink-write=" + afterSinkWrite + " no-data-batch=" + withoutData;
  }
}
