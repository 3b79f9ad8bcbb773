package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
  private final EncodedColumns key;
  private final EncodedColumns state;
  private final List<Field> columns = new ArrayList<>();

  private GroupsStateReader(EncodedColumns key, EncodedColumns state) {
    this.key = key;
    this.state = state;
    columns.addAll(key.fields());
    columns.addAll(state.fields());
    columns.add(Field.nullable("timeout", DataType.TIMESTAMP));
  }

  /** The reader of the state function's state in {@code stateDirectory}. */
  static GroupsStateReader open(Path stateDirectory, Map<String, String> options) {
    String key = StateLayoutFile.text(stateDirectory.resolve("groups.key-type"));
    return new GroupsStateReader(EncodedColumns.key(key, "key"), EncodedColumns.record(
        StateLayoutFile.layouts(stateDirectory.resolve("groups.state-layouts")), "value"));
  }

  @Override
  public List<Field> columns() {
    return columns;
  }

  @Override
  public List<@Nullable Object[]> rows(Map<ByteBuffer, byte[]> entries) {
    List<@Nullable Object[]> rows = new ArrayList<>();
    entries.forEach((k, value) -> rows.add(row(k.array(), value)));
    return rows;
  }

  private @Nullable Object[] row(byte[] k, byte[] value) {
    List<@Nullable Object> values = new ArrayList<>(key.decode(k));
    // A key with only a timeout has the timeout alone: no state fields.
    if (value.length > 8) {
      values.addAll(state.decode(Arrays.copyOfRange(value, 8, value.length)));
    } else {
      values.addAll(Arrays.asList(new Object[state.fields().size()]));
    }
    long timeout = ByteBuffer.wrap(value).getLong();
    values.add(timeout == GroupStateImpl.NO_TIMESTAMP ? null : timeout);
    return values.toArray();
  }
}
