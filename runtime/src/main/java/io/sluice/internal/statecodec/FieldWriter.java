package io.sluice.internal.statecodec;

import io.sluice.api.Field;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * Writes one component of a state value: reads it through the accessor's method handle and writes
 * it in its {@link ColumnFormat}, after a presence byte if the component is nullable.
 *
 * <p>A primitive component is read through a handle typed to return the primitive, so that it is
 * never boxed; the handles are found once per state type, never per value.
 */
@FunctionalInterface
interface FieldWriter {
  void write(Object value, ValueOutput out) throws Throwable;

  /** The writer of {@code field}, whose values {@code accessor} returns. */
  static FieldWriter of(Field field, MethodHandle accessor) {
    ColumnFormat format = ColumnFormat.of(field.type());
    if (field.nullable()) {
      return nullable(format, accessor.asType(MethodType.methodType(Object.class, Object.class)));
    }
    MethodHandle get = accessor.asType(
        MethodType.methodType(accessor.type().returnType(), Object.class));
    switch (format) {
      case LONG:
        return (value, out) -> out.putLong((long) get.invokeExact(value));
      case INT:
        return (value, out) -> out.putInt((int) get.invokeExact(value));
      case DOUBLE:
        return (value, out) -> out.putLong(ColumnFormat.bits((double) get.invokeExact(value)));
      case BOOLEAN:
        return (value, out) -> out.putByte((boolean) get.invokeExact(value) ? 1 : 0);
      default:
        throw new IllegalArgumentException("only primitives are NOT NULL, not " + field);
    }
  }

  private static FieldWriter nullable(ColumnFormat format, MethodHandle get) {
    return (value, out) -> {
      Object component = (Object) get.invokeExact(value);
      if (component == null) {
        out.putByte(0);
      } else {
        out.putByte(1);
        format.write(component, out);
      }
    };
  }
}
