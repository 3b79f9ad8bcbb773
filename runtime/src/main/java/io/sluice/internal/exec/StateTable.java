package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Row;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.BatchLog;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.statecodec.StateCodec;
import io.sluice.internal.statecodec.StateSchema;
import io.sluice.internal.state.StateAtVersion;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The state a checkpoint's state function held after one batch, as a table, like Spark's state
 * data source: one row per key, with its partition, key, state fields and timeout. It reads the
 * snapshot and change logs only, so it can run beside the query that writes them.
 *
 * <p>Columns: {@code partition_id}; {@code key}, or {@code key_<field>} for a record key; {@code
 * value_<field>} per state field (null for a key with only a timeout); {@code timeout}.
 */
public final class StateTable {
  private final Path checkpoint;
  private final long batchId;
  private final Schema schema;
  private final boolean recordKey;
  private final String scalarKey;
  private final StateSchema keyLayout;
  private final List<StateSchema> stateLayouts;

  private StateTable(Path checkpoint, long batchId, Schema schema, boolean recordKey,
      String scalarKey, StateSchema keyLayout, List<StateSchema> stateLayouts) {
    this.checkpoint = checkpoint;
    this.batchId = batchId;
    this.schema = schema;
    this.recordKey = recordKey;
    this.scalarKey = scalarKey;
    this.keyLayout = keyLayout;
    this.stateLayouts = stateLayouts;
  }

  /** The table of {@code checkpoint}'s state after batch {@code batchId} (null: the last one). */
  public static StateTable open(Path checkpoint, @org.jspecify.annotations.Nullable Long batchId) {
    Path state = checkpoint.resolve("state").resolve("0");
    Path keyFile = state.resolve("groups.key-type");
    Path layoutFile = state.resolve("groups.state-layouts");
    if (!Files.exists(keyFile) || !Files.exists(layoutFile)) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + checkpoint + " holds no"
          + " state of a state function ([flat]mapGroupsWithState): " + keyFile + " is missing");
    }
    long batch = batchId != null ? batchId : lastCommitted(checkpoint);
    String key = CheckpointFile.read(keyFile);
    boolean record = key.startsWith("record: ");
    StateSchema keyLayout = record ? StateSchema.parse(key.substring(8)) : StateSchema.of();
    List<StateSchema> layouts = new ArrayList<>();
    for (String line : CheckpointFile.read(layoutFile).split("\n", -1)) {
      layouts.add(StateSchema.parse(line));
    }
    List<Field> fields = new ArrayList<>();
    fields.add(Field.required("partition_id", DataType.INT));
    if (record) {
      for (Field f : keyLayout.fields()) {
        fields.add(Field.nullable("key_" + f.name(), f.type()));
      }
    } else {
      fields.add(Field.nullable("key", scalarType(key.substring(8))));
    }
    for (Field f : layouts.get(layouts.size() - 1).fields()) {
      fields.add(Field.nullable("value_" + f.name(), f.type()));
    }
    fields.add(Field.nullable("timeout", DataType.TIMESTAMP));
    return new StateTable(checkpoint, batch, Schema.of(fields), record,
        record ? "" : key.substring(8), keyLayout, layouts);
  }

  private static long lastCommitted(Path checkpoint) {
    OptionalLong last = new BatchLog(checkpoint.resolve("commits")).latestBatchId();
    if (last.isEmpty()) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + checkpoint
          + " has no committed batch yet, so no state to show");
    }
    return last.getAsLong();
  }

  private static DataType scalarType(String javaType) {
    switch (javaType) {
      case "java.lang.String":
        return DataType.STRING;
      case "java.lang.Integer":
        return DataType.INT;
      case "java.lang.Double":
        return DataType.DOUBLE;
      case "java.lang.Boolean":
        return DataType.BOOLEAN;
      case "java.time.Instant":
        return DataType.TIMESTAMP;
      default:
        return DataType.LONG;
    }
  }

  public Schema schema() {
    return schema;
  }

  public String description() {
    return "StateTable[" + checkpoint + ", batch " + batchId + "]";
  }

  /** The rows, partition by partition. */
  public List<Row> rows() {
    Path groups = checkpoint.resolve("state").resolve("0").resolve("groups");
    List<Row> rows = new ArrayList<>();
    for (int p = 0; Files.isDirectory(groups.resolve(Integer.toString(p))); p++) {
      Map<ByteBuffer, byte[]> entries = StateAtVersion.read(groups.resolve(Integer.toString(p)),
          batchId + 1);
      for (Map.Entry<ByteBuffer, byte[]> e : entries.entrySet()) {
        rows.add(row(p, e.getKey().array(), e.getValue()));
      }
    }
    return rows;
  }

  private Row row(int partition, byte[] key, byte[] value) {
    List<Object> values = new ArrayList<>();
    values.add(partition);
    if (key[0] == 0) {
      for (int i = 0; i < (recordKey ? keyLayout.fields().size() : 1); i++) {
        values.add(null);
      }
    } else if (recordKey) {
      values.addAll(Arrays.asList(columns(StateCodec.fields(Arrays.copyOfRange(key, 1,
          key.length), List.of(keyLayout)))));
    } else {
      values.add(scalar(Arrays.copyOfRange(key, 1, key.length)));
    }
    int stateFields = stateLayouts.get(stateLayouts.size() - 1).fields().size();
    if (value.length > 8) {
      values.addAll(Arrays.asList(columns(StateCodec.fields(Arrays.copyOfRange(value, 8,
          value.length), stateLayouts))));
    } else {
      for (int i = 0; i < stateFields; i++) {
        values.add(null);
      }
    }
    long timeout = ByteBuffer.wrap(value).getLong();
    values.add(timeout == GroupStateImpl.NO_TIMESTAMP ? null : timeout);
    return new Row(schema, values.toArray());
  }

  /** Timestamps as the engine keeps them in rows: epoch milliseconds. */
  private static Object[] columns(Object[] fields) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i] instanceof Instant t) {
        fields[i] = t.toEpochMilli();
      }
    }
    return fields;
  }

  private Object scalar(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    switch (scalarKey) {
      case "java.lang.String":
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
      case "java.lang.Integer":
        return in.getInt();
      case "java.lang.Double":
        return Double.longBitsToDouble(in.getLong());
      case "java.lang.Boolean":
        return in.get() != 0;
      default:
        return in.getLong();
    }
  }
}
