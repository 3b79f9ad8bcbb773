package io.sluice.internal.analysis;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.api.DataType;
import io.sluice.api.Field;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of Java types the engine accepts in event types and query functions, and the SQL
 * type each stands for; primitives are NOT NULL, boxes, strings, instants and byte arrays ({@code
 * byte[]}, Spark's BINARY) nullable. Used on loaded classes and on source elements alike, so both
 * agree.
 */
public final class JavaTypes {
  private static final Map<TypeName, DataType> TYPES = Map.ofEntries(
      Map.entry(TypeName.LONG, DataType.LONG),
      Map.entry(TypeName.INT, DataType.INT),
      Map.entry(TypeName.DOUBLE, DataType.DOUBLE),
      Map.entry(TypeName.BOOLEAN, DataType.BOOLEAN),
      Map.entry(TypeName.LONG.box(), DataType.LONG),
      Map.entry(TypeName.INT.box(), DataType.INT),
      Map.entry(TypeName.DOUBLE.box(), DataType.DOUBLE),
      Map.entry(TypeName.BOOLEAN.box(), DataType.BOOLEAN),
      Map.entry(ClassName.get(String.class), DataType.STRING),
      Map.entry(ClassName.get(Instant.class), DataType.TIMESTAMP),
      Map.entry(ArrayTypeName.of(TypeName.BYTE), DataType.BINARY));

  /** What an error says is supported. */
  public static final String SUPPORTED =
      "long, int, double, boolean, their boxes, String, java.time.Instant, byte[]";

  private JavaTypes() {}

  /** The SQL type of a Java type, if the engine supports it. */
  public static Optional<DataType> sqlType(TypeName javaType) {
    return Optional.ofNullable(TYPES.get(javaType));
  }

  /** A column named {@code name} holding values of {@code javaType}, which must be supported. */
  public static Field field(String name, TypeName javaType) {
    DataType type = TYPES.get(javaType);
    return javaType.isPrimitive() ? Field.required(name, type) : Field.nullable(name, type);
  }
}
