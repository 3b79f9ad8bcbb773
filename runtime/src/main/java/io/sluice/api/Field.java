package io.sluice.api;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One named, typed column of a {@link Schema}. */
public final class Field {
  private final String name;
  private final DataType type;
  private final boolean nullable;
  private final @Nullable String qualifier;

  private Field(String name, DataType type, boolean nullable, @Nullable String qualifier) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.nullable = nullable;
    this.qualifier = qualifier;
  }

  /** A column that may hold nulls. */
  public static Field nullable(String name, DataType type) {
    return new Field(name, type, true, null);
  }

  /** A column that never holds nulls, such as a primitive record component. */
  public static Field required(String name, DataType type) {
    return new Field(name, type, false, null);
  }

  public String name() {
    return name;
  }

  public DataType type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  /**
   * The name of the dataset this column comes from, set by {@link Dataset#alias}: {@code l.key}
   * names it when both sides of a join have a {@code key}. Null when it has none.
   */
  public @Nullable String qualifier() {
    return qualifier;
  }

  /** This field under another name, without a qualifier. */
  public Field withName(String newName) {
    return new Field(newName, type, nullable, null);
  }

  /** This field, of the dataset named {@code alias} (null: of none). */
  public Field qualified(@Nullable String alias) {
    return new Field(name, type, nullable, alias);
  }

  /** This field, nullable: a column of the side of an outer join that may find no match. */
  public Field asNullable() {
    return new Field(name, type, true, qualifier);
  }

  /** Equal fields have the same name, type and nullability; the qualifier only helps lookups. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Field f && f.name.equals(name) && f.type == type && f.nullable == nullable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, nullable);
  }

  @Override
  public String toString() {
    return name + " " + type + (nullable ? "" : " NOT NULL");
  }
}
