package io.sluice.internal.exec;

import com.palantir.javapoet.TypeName;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.JavaTypes;
import io.sluice.internal.statecodec.StateCodec;
import io.sluice.internal.statecodec.StateSchema;
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

  /** The decoder of a scalar, or null for a record. */
  private final @Nullable GroupKeys scalar;
  /** A record's layouts, a value's version picking one; the last is the one shown. */
  private final List<StateSchema> layouts;
  /** Whether the bytes start with {@link GroupKeys}'s null marker. */
  private final boolean keyed;
  private final List<Field> fields = new ArrayList<>();

  private EncodedColumns(String scalar, List<StateSchema> layouts, boolean keyed,
      String prefix) {
    this.layouts = layouts;
    this.keyed = keyed;
    if (scalar.isEmpty()) {
      this.scalar = null;
      for (Field f : layouts.get(layouts.size() - 1).fields()) {
        fields.add(Field.nullable(prefix + "_" + f.name(), f.type()));
      }
    } else {
      Class<?> type = scalarClass(scalar);
      this.scalar = new GroupKeys(type);
      fields.add(Field.nullable(prefix, JavaTypes.sqlType(TypeName.get(type)).orElseThrow()));
    }
  }

  /** The class a checkpoint names for a scalar: one of {@link GroupKeys#scalar}'s. */
  private static Class<?> scalarClass(String name) {
    for (Class<?> type : List.of(String.class, Long.class, Integer.class, Double.class,
        Boolean.class, Instant.class, byte[].class)) {
      if (type.getName().equals(name)) {
        return type;
      }
    }
    throw new SluiceException(ErrorKind.CHECKPOINT, "the checkpoint names a scalar type the"
        + " state cannot hold: " + name);
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
    if (scalar != null) {
      return Arrays.asList(asColumn(scalar.decode(bytes)));
    }
    if (keyed && bytes[0] == 0) {
      return Arrays.asList(new Object[fields.size()]);
    }
    Object[] values = StateCodec.fields(keyed ? Arrays.copyOfRange(bytes, 1, bytes.length)
        : bytes, layouts);
    for (int i = 0; i < values.length; i++) {
      values[i] = asColumn(values[i]);
    }
    return Arrays.asList(values);
  }

  private static @Nullable Object asColumn(@Nullable Object value) {
    return value instanceof Instant t ? t.toEpochMilli() : value;
  }
}
