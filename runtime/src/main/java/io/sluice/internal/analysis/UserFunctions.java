package io.sluice.internal.analysis;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Functions a query class declares ({@code @SqlFunction} public static methods), described the
 * same way whether read from a loaded class or from source, and listed in one stable order.
 */
public final class UserFunctions {
  private UserFunctions() {}

  /** One declared method, before checking. */
  public record Declared(String sqlName, ClassName owner, String method, List<TypeName> parameters,
      TypeName returns) {}

  /** Checks each method's types and returns the functions sorted by name and signature. */
  public static List<ScalarFunction> of(List<Declared> methods) {
    List<ScalarFunction> functions = new ArrayList<>();
    for (Declared m : methods) {
      List<DataType> parameters = new ArrayList<>();
      for (TypeName p : m.parameters()) {
        parameters.add(sqlType(m, p, "a parameter"));
      }
      DataType returns = sqlType(m, m.returns(), "its result");
      // A boxed or String result may be null: the generated call checks for it.
      functions.add(new ScalarFunction(m.sqlName(), m.owner(), m.method(), List.copyOf(parameters),
          returns, !m.returns().isPrimitive()));
    }
    functions.sort(Comparator.comparing(ScalarFunction::name)
        .thenComparing(f -> f.parameters().toString()));
    return List.copyOf(functions);
  }

  private static DataType sqlType(Declared m, TypeName type, String what) {
    return JavaTypes.sqlType(type).filter(t -> t != DataType.TIMESTAMP).orElseThrow(() ->
        new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "function '" + m.sqlName()
            + "' (" + m.owner().simpleName() + "." + m.method() + ") cannot take " + type
            + " as " + what + "; supported: long, int, double, boolean, their boxes, String,"
            + " byte[]"));
  }
}
