package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.statecodec.StateCodec;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the values of a {@code transformWithState} state variable: scalars as grouping keys
 * are, records by layout, every layout the checkpoint has seen staying readable.
 */
interface StateValueCodec {
  byte[] encode(Object value);

  Object decode(byte[] bytes);

  /** The file, under the operator's state folder, that keeps a variable's record layouts. */
  static String layoutFile(String variable) {
    // Letters, digits, '_' and '-' stay; any other character is '~' and its UTF-8 bytes in hex,
    // so that two names never share a file ("a.b" is a~2eb, "a_b" stays a_b).
    StringBuilder file = new StringBuilder("transform.");
    for (byte b : variable.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        file.append(c);
      } else {
        file.append('~').append(String.format("%02x", b & 0xff));
      }
    }
    return file.toString();
  }

  static StateValueCodec of(Class<?> type, String variable, @Nullable Path stateDirectory) {
    if (GroupKeys.scalar(type)) {
      GroupKeys scalar = new GroupKeys(type, "state variable '" + variable + "' was given");
      return new StateValueCodec() {
        @Override
        public byte[] encode(Object value) {
          return scalar.encode(value);
        }

        @Override
        public Object decode(byte[] bytes) {
          return scalar.decode(bytes);
        }
      };
    }
    StateCodec<Object> records = StateTypes.stateCodec(type, stateDirectory,
        layoutFile(variable), "state variable '" + variable + "' of transformWithState");
    return new StateValueCodec() {
      @Override
      public byte[] encode(Object value) {
        if (!type.isInstance(value)) {
          throw new SluiceException(ErrorKind.TYPE_MISMATCH, "state variable '" + variable
              + "' holds " + type.getName() + ", not " + value.getClass().getName());
        }
        return records.encode(value);
      }

      @Override
      public Object decode(byte[] bytes) {
        return records.decode(bytes);
      }
    };
  }

  /** A primitive class (Kotlin's {@code Long::class.java}) as its box. */
  @SuppressWarnings("unchecked")
  static <T> Class<T> boxed(Class<T> type) {
    // The same wrapping groupByKey applies to a key class.
    return (Class<T>) MethodType.methodType(type).wrap().returnType();
  }
}
