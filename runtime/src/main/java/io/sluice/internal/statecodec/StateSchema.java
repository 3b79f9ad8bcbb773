package io.sluice.internal.statecodec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.RecordSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The layout of a state type as a checkpoint records it: its fields in component order, each with
 * a name, a type and whether it may be null; its {@link StateCodec} writes them in this order.
 *
 * <p>Its text form, which {@link #parse} reads back, is one line like {@code user STRING, visits
 * BIGINT NOT NULL, last TIMESTAMP}: the fields as {@link Field#toString} shows them, with a name
 * that is not a Java identifier in backquotes ({@code `a b`}, a backquote doubled), as in Spark's
 * DDL. A type without fields is the empty string.
 */
public final class StateSchema {
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
    return new SchemaText(text).schema();
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
    return fields.stream().map(StateSchema::text).collect(Collectors.joining(", "));
  }

  /** A field as the text form writes it. */
  static String text(Field f) {
    return quoted(f.name()) + " " + typeText(f);
  }

  /** A field's type as the text form and error messages write it, e.g. {@code INT NOT NULL}. */
  static String typeText(Field f) {
    return f.type().sqlName() + (f.nullable() ? "" : " NOT NULL");
  }

  private static String quoted(String name) {
    return isIdentifier(name) ? name : "`" + name.replace("`", "``") + "`";
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
      return false;
    }
    return name.chars().allMatch(Character::isJavaIdentifierPart);
  }

  /** A reader of the text form, front to back. */
  private static final class SchemaText {
    private final String text;
    private int position;

    SchemaText(String text) {
      this.text = text;
    }

    StateSchema schema() {
      List<Field> fields = new ArrayList<>();
      skipSpaces();
      while (position < text.length()) {
        if (!fields.isEmpty()) {
          expect(',');
          skipSpaces();
        }
        fields.add(field());
        skipSpaces();
      }
      try {
        return of(fields);
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }

    private Field field() {
      String name = name();
      DataType type = type();
      skipSpaces();
      if (position == text.length() || !Character.isLetter(text.charAt(position))) {
        return Field.nullable(name, type);
      }
      if (!word().equals("NOT") || !word().equals("NULL")) {
        throw error("expected NOT NULL, ',' or the end");
      }
      return Field.required(name, type);
    }

    private String name() {
      if (position < text.length() && text.charAt(position) == '`') {
        return quotedName();
      }
      int start = position;
      while (position < text.length() && Character.isJavaIdentifierPart(text.charAt(position))) {
        position++;
      }
      if (start == position) {
        throw error("expected a field name");
      }
      return text.substring(start, position);
    }

    private String quotedName() {
      StringBuilder name = new StringBuilder();
      position++;
      while (true) {
        int close = text.indexOf('`', position);
        if (close < 0) {
          throw error("a backquoted name is not closed");
        }
        name.append(text, position, close);
        position = close + 1;
        if (position >= text.length() || text.charAt(position) != '`') {
          return name.toString();
        }
        name.append('`');
        position++;
      }
    }

    private DataType type() {
      skipSpaces();
      int start = position;
      String word = word();
      return DataType.fromSqlName(word).orElseThrow(() -> {
        position = start;
        return error("expected one of the types BOOLEAN, INT, BIGINT, DOUBLE, STRING, TIMESTAMP");
      });
    }

    /** The next word of letters, after any spaces. */
    private String word() {
      skipSpaces();
      int start = position;
      while (position < text.length() && Character.isLetter(text.charAt(position))) {
        position++;
      }
      return text.substring(start, position);
    }

    private void skipSpaces() {
      while (position < text.length() && text.charAt(position) == ' ') {
        position++;
      }
    }

    private void expect(char c) {
      if (text.charAt(position) != c) {
        throw error("expected '" + c + "'");
      }
      position++;
    }

    private SluiceException error(String why) {
      return new SluiceException(ErrorKind.CHECKPOINT, "cannot read the state schema '" + text
          + "': " + why + " at position " + position);
    }
  }
}
