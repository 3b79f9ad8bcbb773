package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.SluiceException;
import io.sluice.internal.exec.TransformEntries.Element;
import io.sluice.internal.exec.VariableDeclarations.Declaration;
import io.sluice.internal.statecodec.StateSchema;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state of {@code transformWithState} as rows, one state variable at a time, as Spark's
 * state data source reads it with {@code stateVarName}: a row per key of a value state, per
 * element of a list state, per entry of a map state, each with {@code expires_at} (null without
 * a TTL); or, with {@code readRegisteredTimers}, a row per registered timer. Keys are {@code key}
 * or {@code key_<field>}, values {@code value} or {@code value_<field>}, map keys {@code
 * user_key} or {@code user_key_<field>}. It decodes with the variables the operator recorded
 * ({@link VariableDeclarations}).
 */
final class TransformStateReader implements OperatorStateReader {
  private final byte kind;
  private final String name;
  private final EncodedColumns key;
  private final @Nullable EncodedColumns userKey;
  private final @Nullable EncodedColumns value;
  private final List<Field> columns = new ArrayList<>();

  private TransformStateReader(byte kind, String name, EncodedColumns key,
      @Nullable EncodedColumns userKey, @Nullable EncodedColumns value) {
    this.kind = kind;
    this.name = name;
    this.key = key;
    this.userKey = userKey;
    this.value = value;
    columns.addAll(key.fields());
    if (kind == TransformEntries.TIMERS) {
      columns.add(Field.nullable("expiration_timestamp_ms", DataType.LONG));
      return;
    }
    if (userKey != null) {
      columns.addAll(userKey.fields());
    }
    columns.addAll(value.fields());
    columns.add(Field.nullable("expires_at", DataType.TIMESTAMP));
  }

  /**
   * The reader of the variable option {@code stateVarName} names (it may be left out when the
   * processor declares one), or of the timers with {@code readRegisteredTimers=true}.
   */
  static TransformStateReader open(Path stateDirectory, Map<String, String> options) {
    Path variablesFile = stateDirectory.resolve(VariableDeclarations.FILE);
    EncodedColumns key = EncodedColumns.key(StateLayoutFile.text(stateDirectory.resolve(
        "transform.key-type")), "key");
    String name = options.get("stateVarName");
    if (readTimers(options)) {
      if (name != null) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "options stateVarName and"
            + " readRegisteredTimers conflict: a table shows one state variable, or the timers");
      }
      return new TransformStateReader(TransformEntries.TIMERS, "", key, null, null);
    }
    Map<String, Declaration> variables = VariableDeclarations.read(variablesFile);
    if (name == null && variables.size() != 1) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "the transformWithState state in "
          + stateDirectory + " has the variables " + variables.keySet() + ": choose one with"
          + " option stateVarName, or read the timers with option readRegisteredTimers");
    }
    String chosen = name != null ? name : variables.keySet().iterator().next();
    Declaration variable = variables.get(chosen);
    if (variable == null) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "option stateVarName names no state"
          + " variable of the transformWithState state in " + stateDirectory + ": got '"
          + chosen + "', available: " + variables.keySet() + " (" + variablesFile + ")");
    }
    String valueType = variable.valueType();
    EncodedColumns value = EncodedColumns.value(valueType, layouts(stateDirectory, chosen,
        valueType), "value");
    EncodedColumns userKey = variable.kind() == TransformEntries.MAP
        ? EncodedColumns.key(variable.types().get(0), "user_key") : null;
    return new TransformStateReader(variable.kind(), chosen, key, userKey, value);
  }

  private static boolean readTimers(Map<String, String> options) {
    String text = options.getOrDefault("readRegisteredTimers", "false");
    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "option readRegisteredTimers must be"
          + " true or false, got '" + text + "'");
    }
    return Boolean.parseBoolean(text);
  }

  private static List<StateSchema> layouts(Path stateDirectory, String variable, String type) {
    return EncodedColumns.isRecord(type) ? StateLayoutFile.layouts(stateDirectory.resolve(
        StateValueCodec.layoutFile(variable) + ".state-layouts")) : List.of();
  }

  @Override
  public List<Field> columns() {
    return columns;
  }

  @Override
  public List<@Nullable Object[]> rows(Map<ByteBuffer, byte[]> entries) {
    List<@Nullable Object[]> rows = new ArrayList<>();
    entries.forEach((k, entry) -> {
      byte[] bytes = k.array();
      if (bytes[0] == kind && TransformEntries.nameOf(bytes).equals(name)) {
        List<@Nullable Object> keyValues = key.decode(TransformEntries.groupKeyOf(bytes));
        for (List<@Nullable Object> rest : parts(entry)) {
          List<@Nullable Object> row = new ArrayList<>(keyValues);
          row.addAll(rest);
          rows.add(row.toArray());
        }
      }
    });
    return rows;
  }

  /** The columns after the key of each row an entry makes. */
  private List<List<@Nullable Object>> parts(byte[] entry) {
    List<List<@Nullable Object>> parts = new ArrayList<>();
    switch (kind) {
      case TransformEntries.TIMERS -> {
        for (long t : TransformEntries.timers(entry)) {
          parts.add(List.of(t));
        }
      }
      case TransformEntries.VALUE -> parts.add(withExpiry(new ArrayList<>(value.decode(
          TransformEntries.valueOf(entry))), TransformEntries.due(entry)));
      case TransformEntries.LIST -> {
        for (Element e : TransformEntries.elements(entry)) {
          parts.add(withExpiry(new ArrayList<>(value.decode(e.value())), e.expiry()));
        }
      }
      default -> {
        for (Element e : TransformEntries.entries(entry)) {
          List<@Nullable Object> part = new ArrayList<>(userKey.decode(e.key()));
          part.addAll(value.decode(e.value()));
          parts.add(withExpiry(part, e.expiry()));
        }
      }
    }
    return parts;
  }

  private static List<@Nullable Object> withExpiry(List<@Nullable Object> part, long expiry) {
    part.add(expiry == TransformEntries.NEVER ? null : expiry);
    return part;
  }
}
