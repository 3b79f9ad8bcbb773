package io.sluice.internal.analysis;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.Casts;
import io.sluice.internal.expression.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Binds one expression tree against a schema: the state of one {@link Analyzer} call, and the
 * dispatch to the binders of each kind of node.
 */
final class Binder {
  /** Long column lists are cut in messages; the suggestion still looks at every column. */
  private static final int MAX_LISTED_COLUMNS = 30;

  /** SQL's clock functions, which also parse without parentheses; see CallBinder. */
  private static final Set<String> CLOCK_WORDS =
      Set.of("current_timestamp", "current_date", "localtimestamp");

  private final Schema schema;
  private final boolean allowAggregates;
  private final Diagnostics diagnostics;
  private final OperatorBinder operators;
  private final ConditionalBinder conditionals;
  private final CallBinder calls;
  private final WindowBinder windows;
  private final List<ScalarFunction> userFunctions;

  Binder(Schema schema, @Nullable String sourceText, boolean allowAggregates) {
    this(schema, sourceText, allowAggregates, List.of());
  }

  Binder(Schema schema, @Nullable String sourceText, boolean allowAggregates,
      List<ScalarFunction> userFunctions) {
    this.userFunctions = userFunctions;
    this.schema = schema;
    this.allowAggregates = allowAggregates;
    this.diagnostics = new Diagnostics(sourceText);
    this.operators = new OperatorBinder(this);
    this.conditionals = new ConditionalBinder(this);
    this.calls = new CallBinder(this);
    this.windows = new WindowBinder(this);
  }

  Diagnostics diagnostics() {
    return diagnostics;
  }

  /** The functions the query itself declares (e.g. {@code @SqlFunction} methods). */
  List<ScalarFunction> userFunctions() {
    return userFunctions;
  }

  WindowBinder windows() {
    return windows;
  }

  boolean allowAggregates() {
    return allowAggregates;
  }

  Bound bind(Expr e) {
    if (e instanceof Expr.Literal l) {
      return literal(l);
    } else if (e instanceof Expr.ColumnRef c) {
      return column(c);
    } else if (e instanceof Expr.Star) {
      throw diagnostics.error(ErrorKind.UNSUPPORTED_OPERATION,
          "'*' is only allowed as the argument of count(*)", e);
    } else if (e instanceof Expr.Unary u) {
      return operators.unary(u);
    } else if (e instanceof Expr.Binary b) {
      return operators.binary(b);
    } else if (e instanceof Expr.Call c) {
      return calls.call(c);
    } else if (e instanceof Expr.FieldAccess f) {
      // t.key names column key of the input aliased t, unless t is a column (a struct).
      if (f.struct() instanceof Expr.ColumnRef q && schema.indexOf(q.name()).isEmpty()) {
        Expr.ColumnRef qualifiedRef = new Expr.ColumnRef(q.name() + "." + f.field(),
            f.position());
        if (qualified(qualifiedRef).isPresent()) {
          return column(qualifiedRef);
        }
      }
      return windows.field(f);
    } else if (e instanceof Expr.IsNull n) {
      return new Bound.IsNull(bind(n.operand()), n.negated());
    } else if (e instanceof Expr.Alias a) {
      // Only a name for the output; Spark ignores aliases inside expressions too.
      return bind(a.operand());
    }
    return conditionals.bind(e);
  }

  /**
   * Numbers are boxed as the type says (Integer for INT, Long for BIGINT, TIMESTAMP and INTERVAL,
   * Double for DOUBLE), whatever the fluent API was given, so that equal literals are equal
   * records.
   */
  private static Bound.Literal literal(Expr.Literal l) {
    if (!(l.value() instanceof Number n)) {
      return new Bound.Literal(l.value(), l.type());
    }
    switch (l.type()) {
      case INT:
        return new Bound.Literal(n.intValue(), l.type());
      case DOUBLE:
        return new Bound.Literal(n.doubleValue(), l.type());
      default:
        return new Bound.Literal(n.longValue(), l.type());
    }
  }

  /** Bound in order, in a mutable list. */
  List<Bound> bindAll(List<Expr> exprs) {
    return exprs.stream().map(this::bind).collect(Collectors.toList());
  }

  /** A BOOLEAN (or NULL) operand; {@code what} names it in the error. */
  Bound condition(Expr e, String what) {
    return conditionals.condition(e, what);
  }

  private Bound column(Expr.ColumnRef ref) {
    checkNotAmbiguous(ref);
    Optional<Integer> ordinal = schema.indexOf(ref.name());
    if (ordinal.isEmpty()) {
      ordinal = qualified(ref);
    }
    int dot = ref.name().lastIndexOf('.');
    if (ordinal.isEmpty() && dot > 0 && schema.indexOf(ref.name().substring(0, dot)).isPresent()) {
      // col("window.start") reads a field, as in Spark, unless a column has that very name.
      Bound struct = column(new Expr.ColumnRef(ref.name().substring(0, dot), ref.position()));
      return windows.field(struct, ref.name().substring(dot + 1), ref);
    }
    if (ordinal.isEmpty()) {
      throw unresolved(ref);
    }
    Field f = schema.field(ordinal.get());
    return new Bound.Column(ordinal.get(), f.name(), f.type(), f.nullable());
  }

  /** Refuses a bare name several inputs of a join have: {@code key} of {@code l} and {@code r}. */
  private void checkNotAmbiguous(Expr.ColumnRef ref) {
    List<String> sources = new ArrayList<>();
    for (Field f : schema.fields()) {
      if (f.name().equals(ref.name())) {
        sources.add(f.qualifier() == null ? f.name() : f.qualifier() + "." + f.name());
      }
    }
    if (sources.size() > 1) {
      throw diagnostics.error(ErrorKind.AMBIGUOUS_COLUMN, "column '" + ref.name() + "' is"
          + " ambiguous: it could be " + String.join(", ", sources) + "; name the side, as in "
          + sources.get(sources.size() - 1) + " (give a side a name with alias(\"r\"))", ref);
    }
  }

  /** The column {@code alias.name} names: a column of the input named {@code alias}. */
  private Optional<Integer> qualified(Expr.ColumnRef ref) {
    int dot = ref.name().indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String alias = ref.name().substring(0, dot);
    String name = ref.name().substring(dot + 1);
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      if (alias.equalsIgnoreCase(f.qualifier()) && f.name().equalsIgnoreCase(name)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private SluiceException unresolved(Expr.ColumnRef ref) {
    List<String> sameIgnoringCase = schema.names().stream()
        .filter(n -> n.equalsIgnoreCase(ref.name())).collect(Collectors.toList());
    if (sameIgnoringCase.size() > 1) {
      return diagnostics.error(ErrorKind.AMBIGUOUS_COLUMN, "column '" + ref.name()
          + "' is ambiguous: it matches " + String.join(", ", sameIgnoringCase)
          + " when case is ignored; write the name with its exact case", ref);
    }
    if (CLOCK_WORDS.contains(ref.name().toLowerCase(Locale.ROOT))) {
      return calls.nonDeterministic(ref.name(), ref);
    }
    return diagnostics.error(ErrorKind.UNKNOWN_COLUMN, "column '" + ref.name()
        + "' not found; available: " + available()
        + Suggestions.didYouMean(ref.name(), schema.names()), ref);
  }

  private String available() {
    List<String> names = schema.names();
    if (names.isEmpty()) {
      return "(none)";
    }
    String listed = String.join(", ", names.subList(0, Math.min(names.size(), MAX_LISTED_COLUMNS)));
    return names.size() > MAX_LISTED_COLUMNS
        ? listed + ", ... (" + names.size() + " columns)" : listed;
  }

  /**
   * The common type of {@code bounds}, for CASE branches, IN lists and function arguments that
   * must agree; an error naming the first pair that does not.
   */
  DataType unify(String context, List<Expr> exprs, List<Bound> bounds) {
    DataType common = DataType.NULL;
    int setBy = 0;
    for (int i = 0; i < bounds.size(); i++) {
      Optional<DataType> next = TypeCoercion.common(common, bounds.get(i).type());
      if (next.isEmpty()) {
        throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "incompatible types in " + context + ": "
            + diagnostics.typed(exprs.get(setBy), bounds.get(setBy)) + " and "
            + diagnostics.typed(exprs.get(i), bounds.get(i)), exprs.get(i));
      }
      setBy = next.get() == common ? setBy : i;
      common = next.get();
    }
    return common;
  }

  /**
   * A string literal compared with a TIMESTAMP becomes a TIMESTAMP literal now, as Spark casts
   * it; text that is not a timestamp is a type error at analysis rather than a failure per row.
   */
  Bound timestampFromString(Bound b, Expr e, Bound other, Expr otherExpr) {
    if (other.type() != DataType.TIMESTAMP || b.type() != DataType.STRING
        || !(b instanceof Bound.Literal l) || l.value() == null) {
      return b;
    }
    try {
      return new Bound.Literal(Casts.toTimestamp((String) l.value()), DataType.TIMESTAMP);
    } catch (SluiceException notATimestamp) {
      throw diagnostics.error(ErrorKind.TYPE_MISMATCH, "cannot compare "
          + diagnostics.typed(otherExpr, other) + " with " + diagnostics.typed(e, b)
          + ": the string is not a TIMESTAMP; write it like '2024-01-01 00:00:00',"
          + " '2024-01-01T00:00:00Z' or '2024-01-01'", e);
    }
  }
}
