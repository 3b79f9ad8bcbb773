package io.sluice.crash;

import io.sluice.api.Dataset;
import io.sluice.api.Sluice;
import java.nio.file.Path;

/**
 * The streams a crash child's query reads: its input folders as JSON file sources that take at
 * most {@code maxFilesPerTrigger} files a batch each.
 */
record CrashStreams(Sluice engine, CrashFolders folders, long maxFilesPerTrigger) {

  /** The payments every kind but the join reads. */
  Dataset<Payment> payments() {
    return read(folders.input(), Payment.class);
  }

  /** The join's left side. */
  Dataset<AdEvent> impressions() {
    return read(folders.input(), AdEvent.class);
  }

  /** The join's right side. */
  Dataset<AdEvent> clicks() {
    return read(folders.rightInput(), AdEvent.class);
  }

  private <T> Dataset<T> read(Path folder, Class<T> type) {
    return engine.readStream().option("maxFilesPerTrigger", maxFilesPerTrigger)
        .json(folder.toString(), type);
  }
}
