package io.sluice.internal.expression;

import io.sluice.api.DataType;
import io.sluice.internal.expression.Expr.Alias;
import io.sluice.internal.expression.Expr.Binary;
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
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders an {@link Expr} as SQL text, in Spark's style: every operator in parentheses, function
 * names in lower case.
 *
 * <p>{@link #toSql} gives text that {@link ExpressionParser} reads back to the same tree; it is
 * used in messages. {@link #defaultName} gives the name of an output column that has no alias,
 * like Spark: {@code a + 1} is named {@code (a + 1)} and {@code count(*)} is named {@code
 * count(1)}.
 */
public final class ExprPrinter {
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Names print as written (not quoted) and count(*) as count(1), as in Spark's column names. */
  private final boolean naming;

  private ExprPrinter(boolean naming) {
    this.naming = naming;
  }

  /** The output column name: an alias's name, a column's name, or the expression's text. */
  public static String defaultName(Expr e) {
    return e instanceof Alias a ? a.name() : new ExprPrinter(true).print(e);
  }

  /** SQL text that parses back to {@code e}, e.g. {@code (`my col` + 1) AS total}. */
  public static String toSql(Expr e) {
    return new ExprPrinter(false).print(e);
  }

  private String print(Expr e) {
    if (e instanceof Literal l) {
      return literal(l);
    } else if (e instanceof ColumnRef c) {
      return name(c.name());
    } else if (e instanceof Star) {
      return "*";
    } else if (e instanceof Expr.FieldAccess f) {
      // Spark names the column of window.start just "start".
      return naming ? f.field() : print(f.struct()) + "." + name(f.field());
    } else if (e instanceof Unary u) {
      return "(" + (u.op() == UnaryOp.NOT ? "NOT " : "- ") + print(u.operand()) + ")";
    } else if (e instanceof Binary b) {
      return "(" + print(b.left()) + " " + b.op().symbol() + " " + print(b.right()) + ")";
    } else if (e instanceof Call c) {
      return call(c);
    } else if (e instanceof Case c) {
      return caseWhen(c);
    } else if (e instanceof Cast c) {
      return "CAST(" + print(c.operand()) + " AS " + c.target().sqlName() + ")";
    } else if (e instanceof In i) {
      return "(" + print(i.value()) + not(i.negated()) + " IN (" + list(i.list()) + "))";
    } else if (e instanceof IsNull n) {
      return "(" + print(n.operand()) + " IS" + not(n.negated()) + " NULL)";
    } else if (e instanceof Like l) {
      return "(" + print(l.value()) + not(l.negated()) + " LIKE " + print(l.pattern()) + ")";
    }
    Alias a = (Alias) e;
    return print(a.operand()) + " AS " + name(a.name());
  }

  private static String not(boolean negated) {
    return negated ? " NOT" : "";
  }

  private String call(Call c) {
    String name = c.name().toLowerCase(Locale.ROOT);
    if (naming && (name.equals("window") || name.equals("session_window"))) {
      return name;
    }
    boolean star = c.args().size() == 1 && c.args().get(0) instanceof Star;
    String args = naming && star ? "1" : list(c.args());
    return name + "(" + (c.distinct() ? "DISTINCT " : "") + args + ")";
  }

  private String caseWhen(Case c) {
    StringBuilder sql = new StringBuilder("CASE");
    for (int i = 0; i < c.conditions().size(); i++) {
      sql.append(" WHEN ").append(print(c.conditions().get(i)));
      sql.append(" THEN ").append(print(c.values().get(i)));
    }
    if (c.otherwise() != null) {
      sql.append(" ELSE ").append(print(c.otherwise()));
    }
    return sql.append(" END").toString();
  }

  private String list(List<Expr> items) {
    return items.stream().map(this::print).collect(Collectors.joining(", "));
  }

  private String name(String name) {
    if (naming || (SIMPLE_NAME.matcher(name).matches() && !Lexer.isReserved(name))) {
      return name;
    }
    return "`" + name.replace("`", "``") + "`";
  }

  private String literal(Literal l) {
    Object v = l.value();
    if (v == null) {
      return "NULL";
    }
    switch (l.type()) {
      case STRING:
        return quote(v.toString());
      case BINARY:
        // Spark's spelling, and its name for such a column.
        return "X'" + HexFormat.of().withUpperCase().formatHex((byte[]) v) + "'";
      case LONG:
        long n = ((Number) v).longValue();
        // The suffix keeps a small BIGINT a BIGINT when the text is parsed again.
        return n == (int) n && !naming ? n + "L" : Long.toString(n);
      case DOUBLE:
        return doubleLiteral(((Number) v).doubleValue());
      case INTERVAL:
        return interval(((Number) v).longValue());
      case TIMESTAMP:
        String iso = Instant.ofEpochMilli(((Number) v).longValue()).toString();
        return "CAST(" + quote(iso) + " AS TIMESTAMP)";
      default:
        return v.toString();
    }
  }

  private static String doubleLiteral(double d) {
    boolean finite = !Double.isNaN(d) && !Double.isInfinite(d);
    return finite ? Double.toString(d) : "CAST('" + d + "' AS " + DataType.DOUBLE.sqlName() + ")";
  }

  private static String interval(long millis) {
    IntervalUnit unit = IntervalUnit.largestDividing(millis);
    return "INTERVAL '" + millis / unit.millis() + "' " + unit.name();
  }

  /** Backslash escapes, which the lexer reads back, also for characters like a newline. */
  private static String quote(String s) {
    String escaped = s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
        .replace("\r", "\\r").replace("\t", "\\t");
    return "'" + escaped + "'";
  }
}
