package io.sluice.internal.statecodec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A list of fields as checkpoint files write it, in one line like {@code user STRING, visits
 * BIGINT NOT NULL, last TIMESTAMP}: each field as {@link Field#toString} shows it, with a name that
 * is not a Java identifier in backquotes ({@code `a b`}, a backquote doubled), as in Spark's DDL.
 * No fields is the empty string.
 *
 * <p>State layouts ({@link StateSchema}) and the key layouts of the engine's own operators share
 * this form; each reader says which types it accepts, a window by its SQL name {@code
 * STRUCT<start: TIMESTAMP, end: TIMESTAMP>}.
 */
public final class FieldsText {
  private FieldsText() {}

  /** The one-line text of {@code fields}. */
  public static String format(List<Field> fields) {
    return fields.stream().map(FieldsText::format).collect(Collectors.joining(", "));
  }

  /** A field as the text form writes it. */
  static String format(Field f) {
    return quoted(f.name()) + " " + StateSchema.typeText(f);
  }

  /**
   * Reads the text {@link #format} writes, fields of {@code types} only, and makes {@code what}
   * of them with {@code make}; malformed text, or an {@link IllegalArgumentException} of {@code
   * make}, is a {@code Checkpoint} error that names {@code what} and the position.
   */
  public static <T> T parse(String text, String what, List<DataType> types,
      Function<List<Field>, T> make) {
    return new Reader(text, what, types).read(make);
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
  private static final class Reader {
    private final String text;
    private final String what;
    private final List<DataType> types;
    private int position;

    Reader(String text, String what, List<DataType> types) {
      this.text = text;
      this.what = what;
      this.types = types;
    }

    <T> T read(Function<List<Field>, T> make) {
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
        return make.apply(fields);
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
      Optional<DataType> type = DataType.fromSqlName(word());
      String window = DataType.WINDOW.sqlName();
      if (type.isEmpty() && text.startsWith(window, start)) {
        // The window's name is not a word: it is matched whole.
        position = start + window.length();
        type = Optional.of(DataType.WINDOW);
      }
      return type.filter(types::contains).orElseThrow(() -> {
        position = start;
        return error("expected one of the types " + types.stream().map(DataType::sqlName)
            .collect(Collectors.joining(", ")));
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
      return new SluiceException(ErrorKind.CHECKPOINT, "cannot read the " + what + " '" + text
          + "': " + why + " at position " + position);
    }
  }
}
