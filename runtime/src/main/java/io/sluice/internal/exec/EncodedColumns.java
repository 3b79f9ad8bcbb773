package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.internal.statecodec.StateCodec;
import io.sluice.internal.statecodec.StateSchema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The state reader's columns for one encoded part of a state entry, a key or a value, decoded
 * without its Java class: a scalar is one column named {@code prefix}, a record one column
 * {@code prefix_<field>} per field of its layout. The type is described as the checkpoint
 * records it: {@code "scalar: java.lang.Long"} or {@code "record: <layout>"}.
 */
final class EncodedColumns {
  private static final String RECORD = "record: ";
  private static final String SCALAR = "scalar: ";

  /** The Java type of a scalar, or empty for a record. */
  private final String scalar;
  /** A record's layouts, a value's version picking one; the last is the one shown. */
  private final List<StateSchema> layouts;
  /** Whether the bytes start with {@link GroupKeys}'s null marker. */
  private final boolean keyed;
  private final List<Field> fields = new ArrayList<>();

  private EncodedColumns(String scalar, List<StateSchema> layouts, boolean keyed,
      String prefix) {
    this.scalar = scalar;
    this.layouts = layouts;
    this.keyed = keyed;
    if (scalar.isEmpty()) {
      for (Field f : layouts.get(layouts.size() - 1).fields()) {
        fields.add(Field.nullable(prefix + "_" + f.name(), f.type()));
      }
    } else {
      fields.add(Field.nullable(prefix, scalarType(scalar)));
    }
  }

  /** A key encoded by {@link GroupKeys}: a null marker, then a scalar or a record. */
  static EncodedColumns key(String description, String prefix) {
    if (description.startsWith(RECORD)) {
      return new EncodedColumns("", List.of(StateSchema.parse(description.substring(
          RECORD.length()))), true, prefix);
    }
    return new EncodedColumns(scalarName(description), List.of(), true, prefix);
  }

  /**
   * A value of a state variable ({@link StateValueCodec}): a scalar as a key is, a record in one
   * of {@code layouts}, the layouts it was written in.
   */
  static EncodedColumns value(String description, List<StateSchema> layouts, String prefix) {
    if (description.startsWith(RECORD)) {
      return record(layouts, prefix);
    }
    return new EncodedColumns(scalarName(description), List.of(), true, prefix);
  }

  /** A record written by a layout-versioned {@link StateCodec} in one of {@code layouts}. */
  static EncodedColumns record(List<StateSchema> layouts, String prefix) {
    return new EncodedColumns("", layouts, false, prefix);
  }

  private static String scalarName(String description) {
    return description.startsWith(SCALAR) ? description.substring(SCALAR.length())
        : description;
  }

  static boolean isRecord(String description) {
    return description.startsWith(RECORD);
  }

  List<Field> fields() {
    return fields;
  }

  /** The column values of {@code bytes}; timestamps as epoch milliseconds, as rows hold them. */
  List<@Nullable Object> decode(byte[] bytes) {
    if (keyed && bytes[0] == 0) {
      return Arrays.asList(new Object[fields.size()]);
    }
    byte[] body = keyed ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    if (!scalar.isEmpty()) {
      return Arrays.asList(scalar(body));
    }
    Object[] values = StateCodec.fields(body, layouts);
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof Instant t) {
        values[i] = t.toEpochMilli();
      }
    }
    return Arrays.asList(values);
  }

  private Object scalar(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    switch (scalar) {
      case "java.lang.String":
        return new String(body, StandardCharsets.UTF_8);
      case "java.lang.Integer":
        return in.getInt();
      case "java.lang.Double":
        return Double.longBitsToDouble(in.getLong());
      case "java.lang.Boolean":
        return in.get() != 0;
      default:
        // Long, and Instant as its epoch milliseconds.
        return in.getLong();
    }
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
}
