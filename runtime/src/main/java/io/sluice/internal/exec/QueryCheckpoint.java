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
import io.sluice.internal.plan.DeduplicationPlan;
import io.sluice.internal.plan.GroupsWithStatePlan;
import io.sluice.internal.plan.StreamJoinPlan;
import io.sluice.internal.plan.TransformWithStatePlan;
import io.sluice.internal.plan.QueryPlan;
import io.sluice.internal.state.StateStoreConfig;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        plan.scan().source().toString(), state.syncCheckpoint()), state.minBatchesToRetain());
  }

  /**
   * What the checkpoint's state must fit: nothing, for a stateless query; for an aggregation, the
   * types of its grouping keys and its aggregates, which fix how state entries are encoded.
   */
  static String fingerprint(QueryPlan plan) {
    if (plan.operator() instanceof GroupsWithStatePlan g) {
      // The state record's fields are checked by its schema, which may gain nullable fields.
      String rest = aggregationFingerprint(plan);
      return "groupsWithState key(" + g.keyType().getSimpleName() + ") timeout("
          + g.timeout().name().toLowerCase(Locale.ROOT) + ")"
          + (rest.equals("stateless") ? "" : ", " + rest);
    }
    if (plan.operator() instanceof StreamJoinPlan j) {
      return "streamJoin " + j.joinType().sparkName() + " keys" + j.keyTypes() + " left("
          + j.leftWidth() + " columns) input(" + j.inputSchema().size() + " columns)";
    }
    if (plan.operator() instanceof TransformWithStatePlan t) {
      String rest = aggregationFingerprint(plan);
      return "transformWithState key(" + t.keyType().getSimpleName() + ") timeMode("
          + t.timeMode().name().toLowerCase(Locale.ROOT) + ")"
          + (rest.equals("stateless") ? "" : ", " + rest);
    }
    DeduplicationPlan dedup = plan.deduplication();
    if (dedup == null) {
      return aggregationFingerprint(plan);
    }
    StringJoiner key = new StringJoiner(", ", "deduplicate key(", ")");
    for (int k = 0; k < dedup.keyColumns().size(); k++) {
      key.add(dedup.keyType(k).toString());
    }
    String rest = aggregationFingerprint(plan);
    return key + (dedup.withinWatermark() ? " within watermark" : "")
        + (rest.equals("stateless") ? "" : ", " + rest);
  }

  private static String aggregationFingerprint(QueryPlan plan) {
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

  /**
   * Where the logs say to resume, with the watermarks to resume with; the source must already use
   * its checkpoint folder.
   */
  Recovery recover(Source source) {
    OptionalLong logged = checkpoint.offsets().latestBatchId();
    if (logged.isEmpty()) {
      return new Recovery(0, null, null, 0, 0, 0);
    }
    long last = logged.getAsLong();
    Optional<String> commit = checkpoint.commits().get(last);
    Offset lastEnd = offset(source, last);
    long lastWatermark = batchWatermark(last);
    if (commit.isPresent()) {
      long next = Math.max(lastWatermark, number(commit.get(), NEXT_WATERMARK,
          checkpoint.commits(), last).orElse(lastWatermark));
      return new Recovery(last + 1, lastEnd, null, next, lastWatermark, 0);
    }
    Offset previous = last == 0 ? null : offset(source, last - 1);
    long previousWatermark = last == 0 ? 0 : batchWatermark(last - 1);
    return new Recovery(last, previous, lastEnd, lastWatermark, previousWatermark,
        metadata(last, BATCH_TIMESTAMP).orElse(0));
  }

  private Offset offset(Source source, long batchId) {
    BatchLog offsets = checkpoint.offsets();
    String json = offsetLine(entry(batchId));
    try {
      return source.offsetFromJson(json.trim());
    } catch (RuntimeException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint file "
          + offsets.directory().resolve(Long.toString(batchId)) + " holds an offset the source "
          + "cannot read: " + e.getMessage(), e);
    }
  }

  private String entry(long batchId) {
    return checkpoint.offsets().get(batchId).orElseThrow(() -> new SluiceException(
        ErrorKind.CHECKPOINT, "checkpoint " + checkpoint.directory() + " has no offsets for batch "
            + batchId + ", which a later batch needs; the offsets log is incomplete"));
  }

  /** The watermark batch {@code batchId} ran with; 0 when it was logged without one. */
  private long batchWatermark(long batchId) {
    return metadata(batchId, BATCH_WATERMARK).orElse(0);
  }

  /** A number from the metadata line of batch {@code batchId}'s offsets, if it has it. */
  private OptionalLong metadata(long batchId, Pattern field) {
    String entry = entry(batchId);
    int newline = entry.indexOf('\n');
    if (newline < 0) {
      return OptionalLong.empty();
    }
    return number(entry.substring(0, newline), field, checkpoint.offsets(), batchId);
  }

  private static String offsetLine(String entry) {
    int newline = entry.indexOf('\n');
    return newline < 0 ? entry : entry.substring(newline + 1);
  }

  private static OptionalLong number(String json, Pattern field, BatchLog log, long batchId) {
    Matcher m = field.matcher(json);
    if (!m.find()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint file "
          + log.directory().resolve(Long.toString(batchId)) + " holds a watermark that is not a"
          + " number: " + m.group(1), e);
    }
  }

  /** Source {@code i}'s own folder in the checkpoint, e.g. for a file source's list of files. */
  Path sourceDirectory(int i) {
    return checkpoint.sourceDirectory(i);
  }

  /**
   * Logs batch {@code batchId}'s end offset and watermark before the batch runs, so that a re-run
   * uses both again: a line of metadata, as Spark's offset log has, then the offset.
   */
  void logOffsets(long batchId, Offset end, long watermark, long timestamp) {
    checkpoint.offsets().add(batchId, "{\"batchWatermarkMs\":" + watermark
        + ",\"batchTimestampMs\":" + timestamp + "}\n" + end.json());
  }

  /**
   * Marks batch {@code batchId} committed with the watermark the next batch will use, and forgets
   * batches no longer needed.
   */
  void commit(long batchId, long nextWatermark) {
    checkpoint.commits().add(batchId, "{\"nextBatchWatermarkMs\":" + nextWatermark + "}");
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

  /**
   * Where to resume: the next batch id, the last committed end, a batch to re-run, the watermark
   * the next batch runs with and the one before it (by which it judges rows late).
   */
  record Recovery(long nextBatchId, @Nullable Offset committed, @Nullable Offset pendingEnd,
      long watermark, long lateWatermark, long batchTimestamp) {}

  private static final Pattern BATCH_WATERMARK = Pattern.compile("\"batchWatermarkMs\":(-?\\d+)");
  private static final Pattern BATCH_TIMESTAMP =
      Pattern.compile("\"batchTimestampMs\":(-?\\d+)");
  private static final Pattern NEXT_WATERMARK =
      Pattern.compile("\"nextBatchWatermarkMs\":(-?\\d+)");
}
