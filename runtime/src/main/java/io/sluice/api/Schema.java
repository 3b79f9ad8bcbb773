package io.sluice.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ordered columns of a table or stream.
 *
 * <p>Column names are matched case-sensitively first and then, if exactly one column matches
 * ignoring case, case-insensitively, like Spark's default.
 */
public final class Schema {
  private final List<Field> fields;

  private Schema(List<Field> fields) {
    this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
  }

  public static Schema of(Field... fields) {
    return new Schema(Arrays.asList(fields));
  }

  public static Schema of(List<Field> fields) {
    return new Schema(fields);
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public Field field(int ordinal) {
    return fields.get(ordinal);
  }

  /** The position of the named column, if there is one. */
  public Optional<Integer> indexOf(String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return Optional.of(i);
      }
    }
    int found = -1;
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equalsIgnoreCase(name)) {
        if (found >= 0) {
          return Optional.empty();
        }
        found = i;
      }
    }
    return found >= 0 ? Optional.of(found) : Optional.empty();
  }

  public List<String> names() {
    return fields.stream().map(Field::name).collect(Collectors.toList());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && s.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return fields.stream().map(Field::toString).collect(Collectors.joining(", ", "(", ")"));
  }
}
