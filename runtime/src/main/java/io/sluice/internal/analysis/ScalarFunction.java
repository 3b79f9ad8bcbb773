package io.sluice.internal.analysis;

import io.sluice.api.DataType;
import java.util.List;

/**
 * A built-in scalar function: its SQL name, the static Java method that implements it, and its
 * signature.
 *
 * <p>Generated code calls {@code owner.method(args)} directly, with Java types mapped from SQL
 * types (BOOLEAN boolean, INT int, LONG/TIMESTAMP/INTERVAL long, DOUBLE double, STRING String).
 * The method is only called with non-null arguments.
 */
public record ScalarFunction(String name, Class<?> owner, String method, List<DataType> parameters,
    DataType returnType) {}
