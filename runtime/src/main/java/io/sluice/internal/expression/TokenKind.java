package io.sluice.internal.expression;

/** The kinds of token the {@link Lexer} produces. Keywords are {@link #IDENTIFIER}s. */
enum TokenKind {
  INTEGER,
  DECIMAL,
  STRING,
  /** {@code X'0A1B'}; the token's value is its hex digits. */
  BINARY,
  IDENTIFIER,
  QUOTED_IDENTIFIER,
  LEFT_PAREN,
  RIGHT_PAREN,
  COMMA,
  DOT,
  PLUS,
  MINUS,
  STAR,
  SLASH,
  PERCENT,
  CONCAT,
  EQ,
  EQ_EQ,
  NE,
  LT_GT,
  LT,
  LE,
  GT,
  GE,
  NULL_SAFE_EQ,
  /** Text that is not part of the language; the parser reports it where it stands. */
  INVALID,
  END
}
