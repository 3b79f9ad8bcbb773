package io.sluice.crash;

import io.sluice.api.Dataset;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The streams a crash child's query reads: its input folders as JSON file sources that take at
 * most {@code maxFilesPerTrigger} files a batch each; for the Kafka kind, its input topic.
 */
record CrashStreams(Sluice engine, CrashFolders folders, long maxFilesPerTrigger,
    @Nullable CrashTopics topics) {

  /** The Kafka kind's input records, Spark's columns; only that kind's child has topics. */
  Dataset<Row> kafkaRecords() {
    if (topics == null) {
      throw new IllegalStateException("no Kafka topics: the child of the kafka kind gets them as"
          + " arguments");
    }
    return topics.records(engine);
  }

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
