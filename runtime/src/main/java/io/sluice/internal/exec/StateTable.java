package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Row;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.BatchLog;
import io.sluice.internal.state.StateAtVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The state one stateful operator of a checkpoint held after one batch, as a table, like Spark's
 * state data source: a row per entry (per group, key or session) or per value an entry holds,
 * its first column {@code partition_id}, the state partition, then the columns of the operator's
 * kind: {@code aggregate} ({@link AggregateStateReader}), {@code deduplicate} ({@link
 * DeduplicateStateReader}), {@code groups} ({@link GroupsStateReader}), {@code join} ({@link
 * JoinStateReader}) or {@code transform} ({@link TransformStateReader}).
 *
 * <p>It reads the snapshot and change-log files and the layouts the operators record beside them
 * only, never the live state, so it can run beside the query that writes them.
 */
public final class StateTable {
  private final Path checkpoint;
  private final Path partitions;
  private final String operator;
  private final long batchId;
  private final OperatorStateReader reader;
  private final Schema schema;

  private StateTable(Path checkpoint, String operator, long batchId,
      OperatorStateReader reader) {
    this.checkpoint = checkpoint;
    this.partitions = stateDirectory(checkpoint).resolve(operator);
    this.operator = operator;
    this.batchId = batchId;
    this.reader = reader;
    List<Field> fields = new ArrayList<>();
    fields.add(Field.required("partition_id", DataType.INT));
    fields.addAll(reader.columns());
    this.schema = Schema.of(fields);
  }

  /**
   * The table of {@code checkpoint}'s state after batch {@code batchId} (null: the last one
   * committed) of the operator of kind {@code operator} (null: the only one there is).
   */
  public static StateTable open(Path checkpoint, @Nullable Long batchId,
      @Nullable String operator, Map<String, String> options) {
    if (!Files.isDirectory(checkpoint)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "there is no checkpoint at " + checkpoint
          + ": the folder does not exist");
    }
    Path state = stateDirectory(checkpoint);
    String kind = OperatorStateReaders.choose(checkpoint, state, operator);
    OperatorStateReader reader = OperatorStateReaders.open(kind, state, options);
    return new StateTable(checkpoint, kind, committed(checkpoint, batchId), reader);
  }

  private static Path stateDirectory(Path checkpoint) {
    return checkpoint.resolve("state").resolve("0");
  }

  /** {@code batchId}, or the last batch, if the checkpoint has committed it. */
  private static long committed(Path checkpoint, @Nullable Long batchId) {
    BatchLog commits = new BatchLog(checkpoint.resolve("commits"));
    OptionalLong last = commits.latestBatchId();
    if (last.isEmpty()) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + checkpoint
          + " has no committed batch yet, so no state to show");
    }
    if (batchId == null) {
      return last.getAsLong();
    }
    if (commits.get(batchId).isEmpty()) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + checkpoint + " has no"
          + " committed batch " + batchId + " to show the state of: "
          + commits.directory().resolve(Long.toString(batchId)) + " is missing; its commits log"
          + " holds batches " + commits.earliestBatchId().getAsLong() + " to "
          + last.getAsLong());
    }
    return batchId;
  }

  public Schema schema() {
    return schema;
  }

  public String description() {
    return "StateTable[" + checkpoint + ", " + operator + ", batch " + batchId + "]";
  }

  /** The rows, partition by partition. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int p = 0; Files.isDirectory(partitions.resolve(Integer.toString(p))); p++) {
      // State version N + 1 is what batch N left behind.
      for (Object[] values : reader.rows(StateAtVersion.read(
          partitions.resolve(Integer.toString(p)), batchId + 1))) {
        Object[] row = new Object[values.length + 1];
        row[0] = p;
        System.arraycopy(values, 0, row, 1, values.length);
        rows.add(new Row(schema, row));
      }
    }
    return rows;
  }
}
