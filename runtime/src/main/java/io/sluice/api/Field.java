package io.sluice.api;

import java.util.Objects;

/** One named, typed column of a {@link Schema}. */
public final class Field {
  private final String name;
  private final DataType type;
  private final boolean nullable;

  private Field(String name, DataType type, boolean nullable) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.nullable = nullable;
  }

  /** A column that may hold nulls. */
  public static Field nullable(String name, DataType type) {
    return new Field(name, type, true);
  }

  /** A column that never holds nulls, such as a primitive record component. */
  public static Field required(String name, DataType type) {
    return new Field(name, type, false);
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

  /** This field under another name. */
  public Field withName(String newName) {
    return new Field(newName, type, nullable);
  }

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
