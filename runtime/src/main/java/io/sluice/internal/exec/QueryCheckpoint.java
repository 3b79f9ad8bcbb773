package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.BatchLog;
import io.sluice.internal.checkpoint.Checkpoint;
import io.sluice.internal.connector.Offset;
import io.sluice.internal.connector.Source;
import io.sluice.api.Field;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.plan.QueryPlan;
import io.sluice.internal.state.StateStoreConfig;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A query's write-ahead log of batches in its checkpoint: the offset range of batch N is logged
 * before N runs, and N is marked committed after its sink write, so that a restarted query knows
 * where to resume and re-runs a logged but uncommitted batch with the same offsets.
 */
final class QueryCheckpoint implements AutoCloseable {
  private final Checkpoint checkpoint;
  private final int batchesToRetain;

  private QueryCheckpoint(Checkpoint checkpoint, int batchesToRetain) {
    this.checkpoint = checkpoint;
    this.batchesToRetain = batchesToRetain;
  }

  /** Opens (or creates) the checkpoint in {@code directory} for {@code plan}. */
  static QueryCheckpoint open(Path directory, QueryPlan plan, StateStoreConfig state) {
    return new QueryCheckpoint(Checkpoint.open(directory, state.partitions(), fingerprint(plan),
        plan.scan().source().toString()), state.minBatchesToRetain());
  }

  /**
   * What the checkpoint's state must fit: nothing, for a stateless query; for an aggregation, the
   * types of its grouping keys and its aggregates, which fix how state entries are encoded.
   */
  static String fingerprint(QueryPlan plan) {
    AggregationPlan aggregation = plan.aggregation();
    if (aggregation == null) {
      return "stateless";
    }
    List<Field> fields = aggregation.rawSchema().fields();
    int keys = aggregation.groupings().size();
    StringJoiner key = new StringJoiner(", ", "key(", ")");
    for (int i = 0; i < keys; i++) {
      key.add(fields.get(i).type().toString());
    }
    StringJoiner value = new StringJoiner(", ", "value(", ")");
    for (AggregateSlot slot : aggregation.aggregates()) {
      value.add(slot.function().name().toLowerCase(Locale.ROOT) + " "
          + fields.get(keys + slot.index()).type());
    }
    return "aggregate " + key + " " + value;
  }

  /** The folder of the query's state stores. */
  Path stateDirectory() {
    return checkpoint.stateDirectory();
  }

  java.util.UUID queryId() {
    return checkpoint.metadata().queryId();
  }

  /** Where the logs say to resume; the source must already use its checkpoint folder. */
  Recovery recover(Source source) {
    OptionalLong logged = checkpoint.offsets().latestBatchId();
    if (logged.isEmpty()) {
      return new Recovery(0, null, null);
    }
    long last = logged.getAsLong();
    boolean committed = checkpoint.commits().get(last).isPresent();
    Offset lastEnd = offset(source, last);
    if (committed) {
      return new Recovery(last + 1, lastEnd, null);
    }
    Offset previous = last == 0 ? null : offset(source, last - 1);
    return new Recovery(last, previous, lastEnd);
  }

  private Offset offset(Source source, long batchId) {
    BatchLog offsets = checkpoint.offsets();
    String json = offsets.get(batchId).orElseThrow(() -> new SluiceException(ErrorKind.CHECKPOINT,
        "checkpoint " + checkpoint.directory() + " has no offsets for batch " + batchId
            + ", which a later batch needs; the offsets log is incomplete"));
    try {
      return source.offsetFromJson(json.trim());
    } catch (RuntimeException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint file "
          + offsets.directory().resolve(Long.toString(batchId)) + " holds an offset the source "
          + "cannot read: " + e.getMessage(), e);
    }
  }

  /** The source's own folder in the checkpoint, e.g. for a file source's list of files. */
  Path sourceDirectory() {
    return checkpoint.sourceDirectory(0);
  }

  /** Logs batch {@code batchId}'s end offset before the batch runs. */
  void logOffsets(long batchId, Offset end) {
    checkpoint.offsets().add(batchId, end.json());
  }

  /** Marks batch {@code batchId} committed and forgets batches no longer needed. */
  void commit(long batchId) {
    checkpoint.commits().add(batchId, "{}");
    long keepFrom = batchId - batchesToRetain + 1;
    if (keepFrom > 0) {
      checkpoint.offsets().purgeBefore(keepFrom);
      checkpoint.commits().purgeBefore(keepFrom);
    }
  }

  /** Releases the checkpoint for the next run. */
  @Override
  public void close() {
    checkpoint.close();
  }

  /** Where to resume: the next batch id, the last committed end, and a batch to re-run. */
  record Recovery(long nextBatchId, @Nullable Offset committed, @Nullable Offset pendingEnd) {}
}
