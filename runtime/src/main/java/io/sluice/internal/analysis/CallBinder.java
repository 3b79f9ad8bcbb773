package io.sluice.internal.analysis;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves function calls: aggregates, special forms, then the scalar functions of the {@link
 * FunctionRegistry}, inserting casts where an argument is widened.
 */
final class CallBinder {
  /** Functions whose result depends on when or where a batch runs. */
  private static final Set<String> NON_DETERMINISTIC = Set.of("current_timestamp", "now",
      "current_date", "curdate", "localtimestamp", "unix_date", "rand", "random", "randn",
      "uuid", "shuffle", "monotonically_increasing_id", "spark_partition_id");

  private final Binder binder;
  private final Diagnostics diagnostics;
  private final AggregateBinder aggregates;
  private final SpecialForms specialForms;

  CallBinder(Binder binder) {
    this.binder = binder;
    this.diagnostics = binder.diagnostics();
    this.aggregates = new AggregateBinder(binder, this);
    this.specialForms = new SpecialForms(binder, this);
  }

  Bound call(Expr.Call c) {
    String name = c.name().toLowerCase(Locale.ROOT);
    if (AggregateBinder.handles(name)) {
      return aggregates.bind(c, name);
    } else if (WindowBinder.handles(name)) {
      return binder.windows().bind(c, name);
    } else if (NON_DETERMINISTIC.contains(name)) {
      throw nonDeterministic(name, c);
    }
    List<ScalarFunction> overloads = FunctionRegistry.overloads(name);
    if (overloads.isEmpty()) {
      overloads = binder.userFunctions().stream()
          .filter(f -> f.name().equalsIgnoreCase(name)).collect(Collectors.toList());
    }
    if (overloads.isEmpty() && !SpecialForms.handles(name)) {
      throw diagnostics.error(ErrorKind.UNKNOWN_FUNCTION, "function '" + name + "' not found"
          + Suggestions.didYouMean(name, knownNames()), c);
    } else if (c.distinct()) {
      throw distinctNotSupported(name, c);
    }
    return overloads.isEmpty() ? specialForms.bind(c, name) : scalar(c, name, overloads);
  }

  private Bound scalar(Expr.Call c, String name, List<ScalarFunction> overloads) {
    List<Bound> args = binder.bindAll(c.args());
    List<DataType> types = args.stream().map(Bound::type).collect(Collectors.toList());
    ScalarFunction f = FunctionRegistry.resolve(overloads, types)
        .orElseThrow(() -> wrongArguments(name, FunctionRegistry.signatures(overloads), args, c));
    List<Bound> coerced = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      coerced.add(TypeCoercion.coerce(args.get(i), f.parameters().get(i)));
    }
    boolean nullable = f.nullResult() || args.stream().anyMatch(Bound::nullable);
    return new Bound.Call(f, List.copyOf(coerced), nullable);
  }

  /** {@code function 'substring' expects (STRING, INT[, INT]) but got (BIGINT)}. */
  SluiceException wrongArguments(String name, String expected, List<Bound> args, Expr at) {
    String got = args.stream().map(b -> b.type().sqlName()).collect(Collectors.joining(", "));
    return diagnostics.error(ErrorKind.WRONG_ARGUMENTS,
        "function '" + name + "' expects " + expected + " but got (" + got + ")", at);
  }

  SluiceException distinctNotSupported(String name, Expr at) {
    return diagnostics.error(ErrorKind.UNSUPPORTED_OPERATION,
        "DISTINCT is only supported in count(DISTINCT x), not in " + name + "(...)", at);
  }

  /** Replaying a batch after a restart must give the same rows, so the clock is off limits. */
  SluiceException nonDeterministic(String name, Expr at) {
    return diagnostics.error(ErrorKind.UNSUPPORTED_OPERATION, "function '" + name
        + "' is not supported: it is not deterministic, and a batch replayed after a restart"
        + " must give the same results; use a column of the input, such as an event time", at);
  }

  private static Set<String> knownNames() {
    Set<String> names = new TreeSet<>(FunctionRegistry.names());
    names.addAll(SpecialForms.NAMES);
    names.addAll(AggregateBinder.NAMES);
    names.addAll(WindowBinder.NAMES);
    return names;
  }
}
