package io.sluice.internal.statecodec;

import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.internal.analysis.RecordSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layout of a state type as a checkpoint records it: its fields in component order, each with
 * a name, a type and whether it may be null; its {@link StateCodec} writes them in this order.
 *
 * <p>Its text form, which {@link #parse} reads back, is the one line of {@link FieldsText}, like
 * {@code user STRING, visits BIGINT NOT NULL, last TIMESTAMP}; a type without fields is the empty
 * string.
 */
public final class StateSchema {
  /** The types a state field may have, in the order error messages list them. */
  private static final List<DataType> TYPES = List.of(DataType.BOOLEAN, DataType.INT,
      DataType.LONG, DataType.DOUBLE, DataType.STRING, DataType.TIMESTAMP, DataType.BINARY);

  private final List<Field> fields;

  private StateSchema(List<Field> fields) {
    this.fields = List.copyOf(fields);
  }

  /** A layout of these fields, which must have distinct names and types a state can hold. */
  public static StateSchema of(List<Field> fields) {
    Set<String> names = new HashSet<>();
    for (Field f : fields) {
      ColumnFormat.of(f.type());
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("two fields are named '" + f.name() + "'");
      }
    }
    return new StateSchema(fields);
  }

  /** A layout of these fields, as {@link #of(List)}. */
  public static StateSchema of(Field... fields) {
    return of(List.of(fields));
  }

  /** The layout of a record or Kotlin data class; an unusable class is an error naming why. */
  public static StateSchema of(Class<?> type) {
    return of(RecordSchema.of(type).schema().fields());
  }

  /** Reads the text {@link #toString} writes; anything else is a {@code Checkpoint} error. */
  public static StateSchema parse(String text) {
    return FieldsText.parse(text, "state schema", TYPES, StateSchema::of);
  }

  public List<Field> fields() {
    return fields;
  }

  /** The field named {@code name} exactly (state fields are matched case-sensitively). */
  public Optional<Field> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The position of the field named {@code name} exactly, or -1 if there is none. */
  int indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StateSchema s && s.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  /** The one-line text form described above. */
  @Override
  public String toString() {
    return FieldsText.format(fields);
  }

  /** A field's type as the text form and error messages write it, e.g. {@code INT NOT NULL}. */
  static String typeText(Field f) {
    return f.type().sqlName() + (f.nullable() ? "" : " NOT NULL");
  }
}
