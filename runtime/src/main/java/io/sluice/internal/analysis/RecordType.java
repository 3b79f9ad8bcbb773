package io.sluice.internal.analysis;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.api.Schema;

/**
 * An event type as generated code sees it: its class name, columns, and for each column the
 * accessor to call and the Java type it returns. The engine reads it from a loaded class by
 * reflection; the annotation processor reads it from source elements. Both produce the same
 * generated code.
 */
public interface RecordType {
  ClassName className();

  Schema schema();

  /** The name of the no-argument method that reads column {@code ordinal}. */
  String accessor(int ordinal);

  /** The Java type that method returns: a primitive, a box, {@code String} or {@code Instant}. */
  TypeName javaType(int ordinal);
}
