package io.sluice.internal.expression;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.Expr.Alias;
import io.sluice.internal.expression.Expr.Binary;
import io.sluice.internal.expression.Expr.BinaryOp;
import io.sluice.internal.expression.Expr.Call;
import io.sluice.internal.expression.Expr.Case;
import io.sluice.internal.expression.Expr.Cast;
import io.sluice.internal.expression.Expr.ColumnRef;
import io.sluice.internal.expression.Expr.In;
import io.sluice.internal.expression.Expr.IsNull;
import io.sluice.internal.expression.Expr.Like;
import io.sluice.internal.expression.Expr.Literal;
import io.sluice.internal.expression.Expr.Star;
import io.sluice.internal.expression.Expr.Unary;
import io.sluice.internal.expression.Expr.UnaryOp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Parses an expression string, in a SQL dialect close to Spark SQL's {@code expr()}, into an
 * {@link Expr}.
 *
 * <p>{@code ExpressionParser.parse("upper(page) AS p")} gives an {@link Alias} of a {@link Call}.
 * Precedence, lowest first: OR; AND; NOT; comparisons and the predicates IS [NOT] NULL, [NOT] IN,
 * [NOT] LIKE, [NOT] BETWEEN; {@code + - ||}; {@code * / % DIV}; unary minus. BETWEEN becomes two
 * comparisons and the simple CASE becomes equality conditions, so later stages never see them.
 *
 * <p>The text is user input. It is never turned into Java: anything outside the language
 * (semicolons, comments, double quotes, backslashes outside strings, qualified names) is a
 * {@link ErrorKind#PARSE_ERROR} that names what was found and what was expected, with carets
 * under the place.
 */
public final class ExpressionParser {
  /**
   * Deeper trees are refused: the analyzer, the code generator and the Java compiler all recurse
   * over the tree. No hand-written expression comes near this; a long generated OR chain could,
   * and is better written as IN.
   */
  static final int MAX_DEPTH = 256;

  /**
   * Parentheses, NOTs and signs nested deeper than this are refused: each level costs the parser
   * about sixteen stack frames, and this keeps it far from overflowing even a 512 KB thread stack.
   */
  static final int MAX_NESTING = 64;

  private static final String KEYWORD_HINT_FORMAT =
      "if it is a column name, quote it with backticks: `%s`";

  private final String text;
  private final List<Token> tokens;
  private int index;
  /** Recursion depth of the parse itself, bounded by {@link #MAX_NESTING}. */
  private int nesting;

  private ExpressionParser(String text) {
    this.text = text;
    this.tokens = Lexer.tokenize(text);
  }

  /**
   * Parses one expression, optionally followed by {@code AS alias} or a bare alias ({@code "a + 1
   * total"}), which gives an {@link Alias} at the top.
   *
   * @throws SluiceException of kind {@link ErrorKind#PARSE_ERROR} when the text is not one
   *     expression
   */
  public static Expr parse(String text) {
    ExpressionParser parser = new ExpressionParser(Objects.requireNonNull(text, "text"));
    Expr expr = parser.aliased();
    parser.expectEnd();
    if (ExprDepth.of(expr) > MAX_DEPTH) {
      throw parser.tooDeep(MAX_DEPTH, 0, text.length());
    }
    return expr;
  }

  private Expr aliased() {
    int start = peek().offset();
    Expr expr = expression();
    if (accept("AS")) {
      Token name = advance();
      if (!isName(name)) {
        throw expected(name, "a column name after AS");
      }
      return new Alias(expr, name.name(), span(start));
    }
    if (isName(peek())) {
      return new Alias(expr, advance().name(), span(start));
    }
    return expr;
  }

  private void expectEnd() {
    Token t = peek();
    if (t.kind() != TokenKind.END) {
      String hint = t.kind() == TokenKind.COMMA
          ? "each string holds one expression: pass several expressions as separate strings"
          : hint(t);
      throw ParseErrors.at(text, "unexpected " + t.describe() + " after the end of the expression",
          t.offset(), t.length(), hint);
    }
  }

  private Expr expression() {
    return nested(() -> binaryLevel(this::and, t -> t.is("OR") ? BinaryOp.OR : null));
  }

  private Expr and() {
    return binaryLevel(this::not, t -> t.is("AND") ? BinaryOp.AND : null);
  }

  private Expr not() {
    Token t = peek();
    if (accept("NOT")) {
      return new Unary(UnaryOp.NOT, nested(this::not), span(t.offset()));
    }
    return predicate();
  }

  private Expr predicate() {
    int start = peek().offset();
    Expr value = comparison();
    if (accept("IS")) {
      boolean negated = accept("NOT");
      expectKeyword("NULL", negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
      return new IsNull(value, negated, span(start));
    }
    boolean negated = peek().is("NOT") && isPredicateWord(peekNext());
    if (negated) {
      advance();
    }
    if (accept("IN")) {
      expect(TokenKind.LEFT_PAREN, "'(' after IN");
      return new In(value, argumentsUntilParen(), negated, span(start));
    }
    if (accept("LIKE")) {
      return new Like(value, comparison(), negated, span(start));
    }
    return accept("BETWEEN") ? between(value, negated, start) : value;
  }

  private static boolean isPredicateWord(Token t) {
    return t.is("IN") || t.is("LIKE") || t.is("BETWEEN");
  }

  /** {@code x BETWEEN a AND b} is {@code x >= a AND x <= b}, as in SQL. */
  private Expr between(Expr value, boolean negated, int start) {
    Expr low = comparison();
    expectKeyword("AND", "AND between the bounds of BETWEEN");
    Expr high = comparison();
    Position p = span(start);
    Expr range = new Binary(BinaryOp.AND, new Binary(BinaryOp.GE, value, low, p),
        new Binary(BinaryOp.LE, value, high, p), p);
    return negated ? new Unary(UnaryOp.NOT, range, p) : range;
  }

  private Expr comparison() {
    return binaryLevel(this::additive, ExpressionParser::comparisonOp);
  }

  private Expr additive() {
    return binaryLevel(this::multiplicative, ExpressionParser::additiveOp);
  }

  private Expr multiplicative() {
    return binaryLevel(this::unary, ExpressionParser::multiplicativeOp);
  }

  /** One left-associative precedence level. */
  private Expr binaryLevel(Supplier<Expr> operand, Function<Token, @Nullable BinaryOp> operator) {
    int start = peek().offset();
    Expr left = operand.get();
    BinaryOp op;
    while ((op = operator.apply(peek())) != null) {
      advance();
      left = new Binary(op, left, operand.get(), span(start));
    }
    return left;
  }

  private static @Nullable BinaryOp comparisonOp(Token t) {
    switch (t.kind()) {
      case EQ:
      case EQ_EQ:
        return BinaryOp.EQ;
      case NE:
      case LT_GT:
        return BinaryOp.NE;
      case NULL_SAFE_EQ:
        return BinaryOp.NULL_SAFE_EQ;
      case LT:
        return BinaryOp.LT;
      case LE:
        return BinaryOp.LE;
      case GT:
        return BinaryOp.GT;
      case GE:
        return BinaryOp.GE;
      default:
        return null;
    }
  }

  private static @Nullable BinaryOp additiveOp(Token t) {
    switch (t.kind()) {
      case PLUS:
        return BinaryOp.ADD;
      case MINUS:
        return BinaryOp.SUBTRACT;
      case CONCAT:
        return BinaryOp.CONCAT;
      default:
        return null;
    }
  }

  private static @Nullable BinaryOp multiplicativeOp(Token t) {
    switch (t.kind()) {
      case STAR:
        return BinaryOp.MULTIPLY;
      case SLASH:
        return BinaryOp.DIVIDE;
      case PERCENT:
        return BinaryOp.REMAINDER;
      default:
        return t.is("DIV") ? BinaryOp.INTEGER_DIVIDE : null;
    }
  }

  /** A minus before a number is part of the literal, so -2147483648 is an INT like in Spark. */
  private Expr unary() {
    Token t = peek();
    if (accept(TokenKind.PLUS)) {
      return nested(this::unary);
    }
    if (!accept(TokenKind.MINUS)) {
      return primary();
    }
    Token next = peek();
    if (next.kind() == TokenKind.INTEGER || next.kind() == TokenKind.DECIMAL) {
      advance();
      return NumberLiterals.parse(text, next, true, span(t.offset()));
    }
    return new Unary(UnaryOp.NEGATE, nested(this::unary), span(t.offset()));
  }

  private Expr nested(Supplier<Expr> parse) {
    if (++nesting > MAX_NESTING) {
      throw tooDeep(MAX_NESTING, peek().offset(), peek().length());
    }
    try {
      return parse.get();
    } finally {
      nesting--;
    }
  }

  private SluiceException tooDeep(int limit, int offset, int length) {
    return ParseErrors.at(text, "expected an expression nested at most " + limit
        + " levels deep but found a deeper one", offset, length,
        "split it into several steps or columns");
  }

  private Expr primary() {
    Token t = advance();
    switch (t.kind()) {
      case INTEGER:
      case DECIMAL:
        return NumberLiterals.parse(text, t, false, position(t));
      case STRING:
        return new Literal(t.value(), DataType.STRING, position(t));
      case BINARY:
        return new Literal(HexFormat.of().parseHex(t.value()), DataType.BINARY, position(t));
      case LEFT_PAREN:
        Expr inner = expression();
        expect(TokenKind.RIGHT_PAREN, "')'");
        return inner;
      case STAR:
        return new Star(position(t));
      case QUOTED_IDENTIFIER:
        return columnOrCall(t);
      case IDENTIFIER:
        return t.isReservedWord() ? keywordExpression(t) : columnOrCall(t);
      default:
        throw expected(t, "an expression");
    }
  }

  private Expr keywordExpression(Token t) {
    if (t.is("TRUE") || t.is("FALSE")) {
      return new Literal(t.is("TRUE"), DataType.BOOLEAN, position(t));
    }
    if (t.is("NULL")) {
      return new Literal(null, DataType.NULL, position(t));
    }
    if (t.is("CASE")) {
      return caseWhen(t);
    }
    if (t.is("CAST")) {
      return cast(t);
    }
    if (t.is("INTERVAL")) {
      return new IntervalLiteralParser(this, t).parse();
    }
    throw ParseErrors.at(text, "expected an expression but found " + t.describe(), t.offset(),
        t.length(), String.format(KEYWORD_HINT_FORMAT, t.text()));
  }

  private Expr columnOrCall(Token name) {
    Expr e;
    if (!accept(TokenKind.LEFT_PAREN)) {
      e = new ColumnRef(name.name(), position(name));
    } else {
      boolean distinct = accept("DISTINCT");
      List<Expr> args =
          !distinct && accept(TokenKind.RIGHT_PAREN) ? List.of() : argumentsUntilParen();
      e = new Call(name.name(), args, distinct, span(name.offset()));
    }
    // After a dot any word is a field name, reserved or not: window.end.
    while (peek().kind() == TokenKind.DOT && (peekNext().kind() == TokenKind.IDENTIFIER
        || peekNext().kind() == TokenKind.QUOTED_IDENTIFIER)) {
      advance();
      Token field = advance();
      e = new Expr.FieldAccess(e, field.name(), span(name.offset()));
    }
    return e;
  }

  private List<Expr> argumentsUntilParen() {
    List<Expr> items = new ArrayList<>();
    do {
      items.add(expression());
    } while (accept(TokenKind.COMMA));
    expect(TokenKind.RIGHT_PAREN, "',' or ')'");
    return List.copyOf(items);
  }

  /** The simple form {@code CASE x WHEN v THEN r} becomes {@code CASE WHEN x = v THEN r}. */
  private Expr caseWhen(Token caseToken) {
    @Nullable Expr operand = peek().is("WHEN") ? null : expression();
    List<Expr> conditions = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    expectKeyword("WHEN", "WHEN");
    do {
      int start = peek().offset();
      Expr condition = expression();
      conditions.add(operand == null ? condition
          : new Binary(BinaryOp.EQ, operand, condition, span(start)));
      expectKeyword("THEN", "THEN");
      values.add(expression());
    } while (accept("WHEN"));
    @Nullable Expr otherwise = accept("ELSE") ? expression() : null;
    expectKeyword("END", otherwise == null ? "WHEN, ELSE or END" : "END");
    return new Case(List.copyOf(conditions), List.copyOf(values), otherwise,
        span(caseToken.offset()));
  }

  private Expr cast(Token castToken) {
    expect(TokenKind.LEFT_PAREN, "'(' after CAST");
    Expr operand = expression();
    expectKeyword("AS", "AS");
    Token typeName = advance();
    @Nullable DataType type = typeName.kind() == TokenKind.IDENTIFIER
        ? DataType.fromSqlName(typeName.text()).orElse(null) : null;
    if (type == null) {
      throw expected(typeName,
          "a type (BOOLEAN, INT, BIGINT, DOUBLE, STRING, TIMESTAMP or BINARY)");
    }
    expect(TokenKind.RIGHT_PAREN, "')'");
    return new Cast(operand, type, span(castToken.offset()));
  }

  // ---- token access, shared with IntervalLiteralParser

  String text() {
    return text;
  }

  Token peek() {
    return tokens.get(index);
  }

  private Token peekNext() {
    return tokens.get(Math.min(index + 1, tokens.size() - 1));
  }

  /** The current token; moves on unless at the end. */
  Token advance() {
    Token t = peek();
    if (t.kind() != TokenKind.END) {
      index++;
    }
    return t;
  }

  boolean accept(TokenKind kind) {
    if (peek().kind() != kind) {
      return false;
    }
    advance();
    return true;
  }

  boolean accept(String keyword) {
    if (!peek().is(keyword)) {
      return false;
    }
    advance();
    return true;
  }

  private void expect(TokenKind kind, String what) {
    if (!accept(kind)) {
      throw expected(peek(), what);
    }
  }

  private void expectKeyword(String keyword, String what) {
    if (!accept(keyword)) {
      throw expected(peek(), what);
    }
  }

  /** From {@code start} to the end of the last token consumed. */
  Position span(int start) {
    return new Position(start, tokens.get(index - 1).end() - start);
  }

  private static Position position(Token t) {
    return new Position(t.offset(), t.length());
  }

  private static boolean isName(Token t) {
    return t.kind() == TokenKind.QUOTED_IDENTIFIER
        || (t.kind() == TokenKind.IDENTIFIER && !t.isReservedWord());
  }

  SluiceException expected(Token found, String what) {
    return ParseErrors.at(text, "expected " + what + " but found " + found.describe(),
        found.offset(), found.length(), hint(found));
  }

  private @Nullable String hint(Token t) {
    if (t.hint() != null) {
      return t.hint();
    }
    int i = tokens.indexOf(t);
    boolean afterName = t.kind() == TokenKind.DOT && i > 0 && isName(tokens.get(i - 1));
    return afterName ? "a '.' after a name reads a field, like window.start; quote a column name"
        + " that contains dots with backticks, like `a.b`" : null;
  }
}
