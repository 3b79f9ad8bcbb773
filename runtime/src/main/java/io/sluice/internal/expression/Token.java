package io.sluice.internal.expression;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One token: its kind, its text exactly as written, where it stands, the decoded value of a string
 * or quoted name, and for {@link TokenKind#INVALID} a hint on what to write instead.
 */
record Token(
    TokenKind kind, String text, int offset, @Nullable String value, @Nullable String hint) {

  int length() {
    return text.length();
  }

  int end() {
    return offset + text.length();
  }

  /** Whether this is the unquoted keyword {@code word} (given in upper case). */
  boolean is(String word) {
    return kind == TokenKind.IDENTIFIER && text.equalsIgnoreCase(word);
  }

  boolean isReservedWord() {
    return kind == TokenKind.IDENTIFIER && Lexer.isReserved(text);
  }

  /** The decoded name of an identifier, with backticks removed. */
  String name() {
    return value != null ? value : text;
  }

  /** How error messages name this token: {@code end of input}, {@code ')'}, {@code keyword 'END'}. */
  String describe() {
    switch (kind) {
      case END:
        return "end of input";
      case STRING:
        return "string " + text;
      case BINARY:
        return "binary literal " + text;
      case INVALID:
        return printable(text) ? "'" + text + "'" : String.format(Locale.ROOT, "character U+%04X",
            text.codePointAt(0));
      default:
        return (isReservedWord() ? "keyword '" : "'") + text + "'";
    }
  }

  private static boolean printable(String s) {
    return s.codePoints().noneMatch(Character::isISOControl);
  }
}
