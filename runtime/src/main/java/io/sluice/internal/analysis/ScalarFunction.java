package io.sluice.internal.analysis;

import com.palantir.javapoet.ClassName;
import io.sluice.api.DataType;
import java.util.List;

/**
 * A built-in scalar function: its SQL name, the static Java method that implements it, and its
 * signature.
 *
 * <p>Generated code calls {@code owner.method(args)} directly, with Java types mapped from SQL
 * types (BOOLEAN boolean, INT int, LONG/TIMESTAMP/INTERVAL long, DOUBLE double, STRING String,
 * BINARY byte[]). The method is only called with non-null arguments. When {@code nullResult} is
 * set, the method returns the boxed type and null means SQL NULL (e.g. {@code ln(0)}, as in
 * Spark).
 */
public record ScalarFunction(String name, ClassName owner, String method,
    List<DataType> parameters, DataType returnType, boolean nullResult) {
  public ScalarFunction(String name, ClassName owner, String method, List<DataType> parameters,
      DataType returnType) {
    this(name, owner, method, parameters, returnType, false);
  }
}
