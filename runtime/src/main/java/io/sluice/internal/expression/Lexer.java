package io.sluice.internal.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Splits an expression string into tokens.
 *
 * <p>Characters that are not part of the language become {@link TokenKind#INVALID} tokens rather
 * than errors, so that the parser can say where they stand ("unexpected ';' after the end of the
 * expression"). Only unterminated strings and names fail here. The lexer never interprets {@code
 * \u005Cu} unicode escapes: outside a string a backslash is invalid, inside a string it is just a
 * character.
 */
final class Lexer {
  /** Words that cannot name a column unless quoted with backticks. */
  private static final Set<String> RESERVED = Set.of("AND", "OR", "NOT", "IS", "NULL", "IN",
      "LIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "AS", "TRUE", "FALSE",
      "DISTINCT", "DIV", "INTERVAL");

  private static final String COMMENT_HINT = "comments are not supported";

  private final String text;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  private Lexer(String text) {
    this.text = text;
  }

  static List<Token> tokenize(String text) {
    Lexer lexer = new Lexer(text);
    lexer.run();
    return lexer.tokens;
  }

  static boolean isReserved(String word) {
    return RESERVED.contains(word.toUpperCase(Locale.ROOT));
  }

  private void run() {
    while (true) {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      if (pos >= text.length()) {
        tokens.add(new Token(TokenKind.END, "", text.length(), null, null));
        return;
      }
      tokens.add(next());
    }
  }

  private Token next() {
    char c = text.charAt(pos);
    if (isDigit(c) || (c == '.' && isDigit(charAt(pos + 1)))) {
      return number();
    }
    if ((c == 'X' || c == 'x') && charAt(pos + 1) == '\'') {
      return binary();
    }
    if (Character.isLetter(c) || c == '_') {
      return word();
    }
    if (c == '\'') {
      return string();
    }
    if (c == '`') {
      return quotedName();
    }
    if (c == '"') {
      return doubleQuoted();
    }
    return symbol(c);
  }

  private Token number() {
    int start = pos;
    boolean decimal = skipDigits() == '.';
    if (decimal) {
      pos++;
      skipDigits();
    }
    if (Character.toLowerCase(charAt(pos)) == 'e' && exponentFollows()) {
      decimal = true;
      pos += isDigit(charAt(pos + 1)) ? 1 : 2;
      skipDigits();
    }
    char suffix = Character.toUpperCase(charAt(pos));
    if ((suffix == 'L' && !decimal) || suffix == 'D') {
      pos++;
      decimal = suffix == 'D';
    }
    if (isWordPart(charAt(pos))) {
      while (isWordPart(charAt(pos))) {
        pos++;
      }
      return invalid(start, "a name cannot start with a digit unless quoted with backticks");
    }
    return token(decimal ? TokenKind.DECIMAL : TokenKind.INTEGER, start, null);
  }

  private boolean exponentFollows() {
    char next = charAt(pos + 1);
    return isDigit(next) || ((next == '+' || next == '-') && isDigit(charAt(pos + 2)));
  }

  private char skipDigits() {
    while (isDigit(charAt(pos))) {
      pos++;
    }
    return charAt(pos);
  }

  private Token word() {
    int start = pos;
    while (isWordPart(charAt(pos))) {
      pos++;
    }
    return token(TokenKind.IDENTIFIER, start, null);
  }

  /** A 'string': '' is a quote; \' \" \\ \n \t \r are escapes; any other backslash stays as is. */
  private Token string() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw unterminated(start, "string", "'");
      }
      char c = text.charAt(pos++);
      if (c == '\'' && charAt(pos) == '\'') {
        value.append('\'');
        pos++;
      } else if (c == '\'') {
        return token(TokenKind.STRING, start, value.toString());
      } else if (c == '\\' && pos < text.length()) {
        value.append(escape(text.charAt(pos++)));
      } else {
        value.append(c);
      }
    }
  }

  /**
   * Spark's binary literal {@code X'0A1B'}: hex digits in either case, an odd count read as if led
   * by a 0 ({@code X'123'} is the bytes 01 23). The token's value is the digits, padded to even.
   */
  private Token binary() {
    int start = pos;
    pos += 2;
    int close = text.indexOf('\'', pos);
    if (close < 0) {
      throw unterminated(start, "binary literal", "'");
    }
    for (int i = pos; i < close; i++) {
      char c = text.charAt(i);
      if (!isHexDigit(c)) {
        throw ParseErrors.at(text, "expected hex digits in a binary literal but found '" + c
            + "'", i, 1, "write bytes as pairs of 0-9 and A-F, like X'0A1B'");
      }
    }
    String digits = text.substring(pos, close);
    pos = close + 1;
    return token(TokenKind.BINARY, start, digits.length() % 2 == 0 ? digits : "0" + digits);
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Keeping unknown escapes verbatim keeps LIKE's {@code \%} and {@code \_} intact, and means
   * {@code \u005Cu0029} is six characters, never a parenthesis.
   */
  private static String escape(char c) {
    switch (c) {
      case 'n':
        return "\n";
      case 't':
        return "\t";
      case 'r':
        return "\r";
      case '\'':
      case '"':
      case '\\':
        return String.valueOf(c);
      default:
        return "\\" + c;
    }
  }

  private Token quotedName() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw unterminated(start, "quoted name", "`");
      }
      char c = text.charAt(pos++);
      if (c == '`' && charAt(pos) == '`') {
        value.append('`');
        pos++;
      } else if (c == '`') {
        break;
      } else {
        value.append(c);
      }
    }
    if (value.length() == 0) {
      throw ParseErrors.at(text, "expected a name between the backticks but found ``", start, 2,
          null);
    }
    return token(TokenKind.QUOTED_IDENTIFIER, start, value.toString());
  }

  /** Refused rather than guessed: Spark reads "x" as a string, ANSI SQL as a column name. */
  private Token doubleQuoted() {
    int start = pos++;
    int close = text.indexOf('"', pos);
    pos = close < 0 ? text.length() : close + 1;
    String inner = text.substring(start + 1, close < 0 ? pos : close);
    return invalid(start, "double quotes are not supported: write '" + inner
        + "' for a string or `" + inner + "` for a column name");
  }

  private Token symbol(char c) {
    int start = pos;
    String two = text.substring(pos, Math.min(pos + 2, text.length()));
    if (text.startsWith("<=>", pos)) {
      return fixed(TokenKind.NULL_SAFE_EQ, 3);
    }
    switch (two) {
      case "--":
      case "/*":
        pos += 2;
        return invalid(start, COMMENT_HINT);
      case "||":
        return fixed(TokenKind.CONCAT, 2);
      case "==":
        return fixed(TokenKind.EQ_EQ, 2);
      case "!=":
        return fixed(TokenKind.NE, 2);
      case "<>":
        return fixed(TokenKind.LT_GT, 2);
      case "<=":
        return fixed(TokenKind.LE, 2);
      case ">=":
        return fixed(TokenKind.GE, 2);
      default:
        return single(c);
    }
  }

  private Token single(char c) {
    switch (c) {
      case '(':
        return fixed(TokenKind.LEFT_PAREN, 1);
      case ')':
        return fixed(TokenKind.RIGHT_PAREN, 1);
      case ',':
        return fixed(TokenKind.COMMA, 1);
      case '.':
        return fixed(TokenKind.DOT, 1);
      case '+':
        return fixed(TokenKind.PLUS, 1);
      case '-':
        return fixed(TokenKind.MINUS, 1);
      case '*':
        return fixed(TokenKind.STAR, 1);
      case '/':
        return fixed(TokenKind.SLASH, 1);
      case '%':
        return fixed(TokenKind.PERCENT, 1);
      case '=':
        return fixed(TokenKind.EQ, 1);
      case '<':
        return fixed(TokenKind.LT, 1);
      case '>':
        return fixed(TokenKind.GT, 1);
      default:
        return unknown(c);
    }
  }

  private Token unknown(char c) {
    int start = pos;
    pos += Character.charCount(text.codePointAt(pos));
    switch (c) {
      case '\\':
        return invalid(start, "a backslash is only allowed inside a string literal");
      case '!':
        return invalid(start, "write NOT for negation");
      case '&':
      case '|':
      case '^':
      case '~':
        return invalid(start, "bitwise operators are not supported");
      default:
        return invalid(start, null);
    }
  }

  private Token fixed(TokenKind kind, int length) {
    int start = pos;
    pos += length;
    return token(kind, start, null);
  }

  private Token token(TokenKind kind, int start, @Nullable String value) {
    return new Token(kind, text.substring(start, pos), start, value, null);
  }

  private Token invalid(int start, @Nullable String hint) {
    return new Token(TokenKind.INVALID, text.substring(start, pos), start, null, hint);
  }

  private RuntimeException unterminated(int start, String what, String quote) {
    return ParseErrors.at(text, "unterminated " + what + ": expected a closing " + quote
        + " but found end of input", start, text.length() - start, null);
  }

  private char charAt(int i) {
    return i < text.length() ? text.charAt(i) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
