package io.sluice.internal.analysis;

import static io.sluice.api.DataType.BINARY;
import static io.sluice.api.DataType.BOOLEAN;
import static io.sluice.api.DataType.DOUBLE;
import static io.sluice.api.DataType.INT;
import static io.sluice.api.DataType.LONG;
import static io.sluice.api.DataType.STRING;
import static io.sluice.api.DataType.TIMESTAMP;

import com.palantir.javapoet.ClassName;
import io.sluice.api.DataType;
import io.sluice.internal.batch.SqlFunctions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The built-in scalar functions by lower-case SQL name, each name with its overloads in the order
 * resolution tries them, narrowest first.
 *
 * <p>All are implemented by {@link SqlFunctions}. Functions that need more than a null-intolerant
 * call (coalesce, if, greatest...) are {@link SpecialForms} instead.
 */
final class FunctionRegistry {
  private static final ClassName SQL_FUNCTIONS = ClassName.get(SqlFunctions.class);

  private static final Map<String, List<ScalarFunction>> FUNCTIONS = new Builder()
      .add("upper", "upper", STRING, STRING).alias("ucase", "upper")
      .add("lower", "lower", STRING, STRING).alias("lcase", "lower")
      .add("length", "length", INT, STRING)
      .add("length", "binaryLength", INT, BINARY)
      .alias("char_length", "length").alias("character_length", "length")
      .add("trim", "trim", STRING, STRING)
      .add("ltrim", "ltrim", STRING, STRING)
      .add("rtrim", "rtrim", STRING, STRING)
      .add("substring", "substring", STRING, STRING, INT)
      .add("substring", "substring", STRING, STRING, INT, INT).alias("substr", "substring")
      .add("replace", "replace", STRING, STRING, STRING)
      .add("replace", "replace", STRING, STRING, STRING, STRING)
      .add("startswith", "startsWith", BOOLEAN, STRING, STRING)
      .add("endswith", "endsWith", BOOLEAN, STRING, STRING)
      .add("contains", "contains", BOOLEAN, STRING, STRING)
      .add("base64", "base64", STRING, BINARY)
      .add("base64", "stringBase64", STRING, STRING)
      .add("unbase64", "unbase64", BINARY, STRING)
      .add("hex", "hex", STRING, BINARY)
      .add("hex", "stringHex", STRING, STRING)
      .add("hex", "longHex", STRING, LONG)
      .addNullable("unhex", "unhex", BINARY, STRING)
      .add("abs", "absInt", INT, INT)
      .add("abs", "absLong", LONG, LONG)
      .add("abs", "absDouble", DOUBLE, DOUBLE)
      .add("round", "roundInt", INT, INT)
      .add("round", "roundInt", INT, INT, INT)
      .add("round", "roundLong", LONG, LONG)
      .add("round", "roundLong", LONG, LONG, INT)
      .add("round", "roundDouble", DOUBLE, DOUBLE)
      .add("round", "roundDouble", DOUBLE, DOUBLE, INT)
      .add("floor", "floorLong", LONG, LONG)
      .add("floor", "floorDouble", LONG, DOUBLE)
      .add("ceil", "ceilLong", LONG, LONG)
      .add("ceil", "ceilDouble", LONG, DOUBLE).alias("ceiling", "ceil")
      .add("sqrt", "sqrt", DOUBLE, DOUBLE)
      .add("pow", "pow", DOUBLE, DOUBLE, DOUBLE).alias("power", "pow")
      .add("exp", "exp", DOUBLE, DOUBLE)
      .addNullable("ln", "ln", DOUBLE, DOUBLE)
      .addNullable("log", "ln", DOUBLE, DOUBLE)
      .addNullable("log", "log", DOUBLE, DOUBLE, DOUBLE)
      .addNullable("log10", "log10", DOUBLE, DOUBLE)
      .addNullable("log2", "log2", DOUBLE, DOUBLE)
      .add("signum", "signum", DOUBLE, DOUBLE).alias("sign", "signum")
      .add("year", "year", INT, TIMESTAMP)
      .add("month", "month", INT, TIMESTAMP)
      .add("dayofmonth", "dayOfMonth", INT, TIMESTAMP).alias("day", "dayofmonth")
      .add("hour", "hour", INT, TIMESTAMP)
      .add("minute", "minute", INT, TIMESTAMP)
      .add("second", "second", INT, TIMESTAMP)
      .add("to_timestamp", "toTimestamp", TIMESTAMP, STRING)
      .add("to_timestamp", "toTimestamp", TIMESTAMP, STRING, STRING)
      .add("date_format", "dateFormat", STRING, TIMESTAMP, STRING)
      .add("unix_timestamp", "unixSeconds", LONG, TIMESTAMP)
      .add("unix_seconds", "unixSeconds", LONG, TIMESTAMP)
      .add("unix_millis", "unixMillis", LONG, TIMESTAMP)
      .add("timestamp_millis", "timestampMillis", TIMESTAMP, LONG)
      .add("timestamp_seconds", "timestampSeconds", TIMESTAMP, LONG)
      .build();

  private FunctionRegistry() {}

  /** The overloads of {@code name} (lower case); empty if there is no such scalar function. */
  static List<ScalarFunction> overloads(String name) {
    return FUNCTIONS.getOrDefault(name, List.of());
  }

  static Set<String> names() {
    return FUNCTIONS.keySet();
  }

  /** The first overload that takes arguments of these types, after numeric widening. */
  static Optional<ScalarFunction> resolve(List<ScalarFunction> overloads, List<DataType> args) {
    return overloads.stream().filter(f -> accepts(f.parameters(), args)).findFirst();
  }

  private static boolean accepts(List<DataType> parameters, List<DataType> args) {
    if (parameters.size() != args.size()) {
      return false;
    }
    for (int i = 0; i < args.size(); i++) {
      if (!TypeCoercion.canWiden(args.get(i), parameters.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The signatures for an error message, optional trailing parameters in brackets: {@code
   * (STRING, INT[, INT])}, {@code (INT[, INT]) or (BIGINT[, INT]) or (DOUBLE[, INT])}.
   */
  static String signatures(List<ScalarFunction> overloads) {
    List<List<List<DataType>>> groups = new ArrayList<>();
    for (ScalarFunction f : overloads) {
      groups.stream().filter(g -> extendsLast(g, f.parameters())).findFirst()
          .ifPresentOrElse(g -> g.add(f.parameters()),
              () -> groups.add(new ArrayList<>(List.of(f.parameters()))));
    }
    return groups.stream().map(FunctionRegistry::render).collect(Collectors.joining(" or "));
  }

  private static boolean extendsLast(List<List<DataType>> group, List<DataType> parameters) {
    List<DataType> last = group.get(group.size() - 1);
    return parameters.size() > last.size() && parameters.subList(0, last.size()).equals(last);
  }

  private static String render(List<List<DataType>> group) {
    StringBuilder s = new StringBuilder("(").append(join(group.get(0)));
    for (int i = 1; i < group.size(); i++) {
      List<DataType> previous = group.get(i - 1);
      List<DataType> added = group.get(i).subList(previous.size(), group.get(i).size());
      s.append(previous.isEmpty() ? "[" : "[, ").append(join(added));
    }
    return s.append("]".repeat(group.size() - 1)).append(")").toString();
  }

  static String join(List<DataType> types) {
    return types.stream().map(DataType::sqlName).collect(Collectors.joining(", "));
  }

  /** Collects the table; an alias shares its function's overloads and SQL name. */
  private static final class Builder {
    private final Map<String, List<ScalarFunction>> functions = new LinkedHashMap<>();

    Builder add(String name, String method, DataType returns, DataType... parameters) {
      ScalarFunction f =
          new ScalarFunction(name, SQL_FUNCTIONS, method, List.of(parameters), returns);
      functions.computeIfAbsent(name, n -> new ArrayList<>()).add(f);
      return this;
    }

    /** A function whose result is NULL for some non-null arguments. */
    Builder addNullable(String name, String method, DataType returns, DataType... parameters) {
      ScalarFunction f = new ScalarFunction(name, SQL_FUNCTIONS, method, List.of(parameters),
          returns, true);
      functions.computeIfAbsent(name, n -> new ArrayList<>()).add(f);
      return this;
    }

    Builder alias(String alias, String name) {
      functions.put(alias, functions.get(name));
      return this;
    }

    Map<String, List<ScalarFunction>> build() {
      Map<String, List<ScalarFunction>> copy = new LinkedHashMap<>();
      functions.forEach((name, overloads) -> copy.put(name, List.copyOf(overloads)));
      return Collections.unmodifiableMap(copy);
    }
  }
}
