package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.internal.statecodec.StateCodec;
import io.sluice.internal.statecodec.StateSchema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of a state function ({@code [flat]mapGroupsWithState}) as rows: one per key, with
 * {@code key} (or {@code key_<field>} for a record key), {@code value_<field>} per state field
 * (null for a key with only a timeout) and {@code timeout}. It decodes with the key type and
 * state layouts the operator recorded ({@link StateTypes}).
 */
final class GroupsStateReader implements OperatorStateReader {
  private static final String RECORD = "record: ";

  /** The Java type of a scalar key, or empty for a record key. */
  private final String scalarKey;
  private final StateSchema keyLayout;
  private final List<StateSchema> stateLayouts;
  private final List<Field> columns;

  private GroupsStateReader(String scalarKey, StateSchema keyLayout,
      List<StateSchema> stateLayouts) {
    this.scalarKey = scalarKey;
    this.keyLayout = keyLayout;
    this.stateLayouts = stateLayouts;
    this.columns = describeColumns();
  }

  /** The reader of the state function's state in {@code stateDirectory}. */
  static GroupsStateReader open(Path stateDirectory) {
    String key = StateLayoutFile.text(stateDirectory.resolve("groups.key-type"));
    List<StateSchema> layouts = new ArrayList<>();
    for (String line : StateLayoutFile.text(stateDirectory.resolve("groups.state-layouts"))
        .split("\n", -1)) {
      layouts.add(StateSchema.parse(line));
    }
    boolean record = key.startsWith(RECORD);
    return new GroupsStateReader(record ? "" : key.substring(RECORD.length()),
        record ? StateSchema.parse(key.substring(RECORD.length())) : StateSchema.of(), layouts);
  }

  @Override
  public List<Field> columns() {
    return columns;
  }

  private List<Field> describeColumns() {
    List<Field> fields = new ArrayList<>();
    if (recordKey()) {
      for (Field f : keyLayout.fields()) {
        fields.add(Field.nullable("key_" + f.name(), f.type()));
      }
    } else {
      fields.add(Field.nullable("key", scalarType(scalarKey)));
    }
    for (Field f : stateLayout().fields()) {
      fields.add(Field.nullable("value_" + f.name(), f.type()));
    }
    fields.add(Field.nullable("timeout", DataType.TIMESTAMP));
    return fields;
  }

  private boolean recordKey() {
    return scalarKey.isEmpty();
  }

  /** The layout the state is shown in: the latest. */
  private StateSchema stateLayout() {
    return stateLayouts.get(stateLayouts.size() - 1);
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

  @Override
  public List<@Nullable Object[]> rows(Map<ByteBuffer, byte[]> entries) {
    List<@Nullable Object[]> rows = new ArrayList<>();
    entries.forEach((key, value) -> rows.add(row(key.array(), value)));
    return rows;
  }

  private @Nullable Object[] row(byte[] key, byte[] value) {
    List<@Nullable Object> values = new ArrayList<>();
    if (key[0] == 0) {
      values.addAll(nulls(recordKey() ? keyLayout.fields().size() : 1));
    } else if (recordKey()) {
      values.addAll(Arrays.asList(columns(StateCodec.fields(Arrays.copyOfRange(key, 1,
          key.length), List.of(keyLayout)))));
    } else {
      values.add(scalar(Arrays.copyOfRange(key, 1, key.length)));
    }
    // A key with only a timeout has the timeout alone: no state fields.
    if (value.length > 8) {
      values.addAll(Arrays.asList(columns(StateCodec.fields(Arrays.copyOfRange(value, 8,
          value.length), stateLayouts))));
    } else {
      values.addAll(nulls(stateLayout().fields().size()));
    }
    long timeout = ByteBuffer.wrap(value).getLong();
    values.add(timeout == GroupStateImpl.NO_TIMESTAMP ? null : timeout);
    return values.toArray();
  }

  private static List<@Nullable Object> nulls(int count) {
    return Arrays.asList(new Object[count]);
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
        return new String(body, StandardCharsets.UTF_8);
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
