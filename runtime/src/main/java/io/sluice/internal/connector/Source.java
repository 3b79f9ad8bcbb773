package io.sluice.internal.connector;

import io.sluice.api.Schema;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A streaming source: tells how far its data goes and reads a range of it.
 *
 * <p>A micro-batch reads the range {@code (start, end]}: {@code start} is the end of the previous
 * batch (null for the first), {@code end} the value {@link #latestOffset} returned when the batch
 * was planned. Reading the same range twice gives the same records, which is what makes a re-run
 * batch exact.
 */
public interface Source {
  /** Shown in progress as {@code sources[].description}. */
  String description();

  Schema schema();

  /**
   * The offset up to which the next batch may read, applying this source's read limit (e.g.
   * maxFilesPerTrigger) from {@code start}; null if there is no data at all yet.
   */
  @Nullable Offset latestOffset(@Nullable Offset start);

  /**
   * Reads the records in {@code (start, end]}, in order, as chunks. A chunk is the consumer's
   * only until it returns: the source may reuse it for the next.
   */
  void read(@Nullable Offset start, Offset end, ChunkConsumer out);

  /**
   * How many rows {@link #read} of {@code (start, end]} gives at most, as far as the source can
   * tell without reading (a count, or a bound such as Kafka's offsets or a file's bytes); -1
   * when it cannot.
   */
  default long rowsBetween(@Nullable Offset start, Offset end) {
    return -1;
  }

  /**
   * Called once before the first batch of an availableNow trigger: from then on {@link
   * #latestOffset} never goes past what is available now.
   */
  default void prepareForAvailableNow() {}

  /**
   * Called once before the only batch of a once trigger: that batch reads everything available,
   * whatever read limit (e.g. maxFilesPerTrigger) the source has, as Spark's {@code Trigger.Once}
   * does.
   */
  default void readAllAvailable() {}

  /**
   * Asks the source to run {@code wake} whenever it has new data, from any thread, until {@link
   * #stop}: a query with the default trigger then runs its next batch at once instead of at its
   * next poll. A source that cannot tell does nothing, and is polled.
   */
  default void onNewData(Runnable wake) {}

  /** The data up to {@code end} will never be read again. */
  default void commit(Offset end) {}

  /**
   * Reads an offset this source wrote with {@link Offset#json()}, from a checkpoint's offsets log.
   * A source whose offsets are counts needs nothing more.
   */
  default Offset offsetFromJson(String json) {
    try {
      return new LongOffset(Long.parseLong(json.trim()));
    } catch (NumberFormatException e) {
      throw new io.sluice.api.SluiceException(io.sluice.api.ErrorKind.CHECKPOINT,
          description() + " cannot read offset '" + json + "' from the checkpoint");
    }
  }

  /**
   * Gives the source a folder of its own in the query's checkpoint, before the first {@link
   * #latestOffset}: a source whose offsets index something it discovers (a file source's files)
   * keeps that there, so offsets mean the same after a restart.
   */
  default void useCheckpoint(java.nio.file.Path directory) {}

  /** Counters of the last {@link #read}, shown in progress as {@code sources[].metrics}. */
  default Map<String, String> metrics() {
    return Map.of();
  }

  default void stop() {}
}
