package io.sluice.internal.statecodec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.RecordSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;

/** Interim: encodes records for state; replaced by the codec with schema evolution. */
public final class StateCodec<T> {
  private final RecordSchema schema;

  private StateCodec(RecordSchema schema) {
    this.schema = schema;
  }

  public static <T> StateCodec<T> of(Class<T> type) {
    return new StateCodec<>(RecordSchema.of(type));
  }

  public byte[] encode(T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      for (int i = 0; i < schema.schema().size(); i++) {
        Object v = schema.accessorMethod(i).invoke(value);
        out.writeBoolean(v != null);
        if (v instanceof String s) {
          byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          out.writeInt(utf8.length);
          out.write(utf8);
        } else if (v instanceof Long l) {
          out.writeLong(l);
        } else if (v instanceof Integer n) {
          out.writeInt(n);
        } else if (v instanceof Double d) {
          out.writeDouble(d);
        } else if (v instanceof Boolean b) {
          out.writeBoolean(b);
        } else if (v instanceof Instant t) {
          out.writeLong(t.toEpochMilli());
        }
      }
      return bytes.toByteArray();
    } catch (IOException | ReflectiveOperationException e) {
      throw new SluiceException(ErrorKind.EXECUTION, "cannot encode " + value + ": " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  public T decode(byte[] bytes) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      Object[] args = new Object[schema.schema().size()];
      for (int i = 0; i < args.length; i++) {
        if (!in.readBoolean()) {
          continue;
        }
        Class<?> c = schema.javaClass(i);
        if (c == String.class) {
          byte[] utf8 = new byte[in.readInt()];
          in.readFully(utf8);
          args[i] = new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
        } else if (c == long.class || c == Long.class) {
          args[i] = in.readLong();
        } else if (c == int.class || c == Integer.class) {
          args[i] = in.readInt();
        } else if (c == double.class || c == Double.class) {
          args[i] = in.readDouble();
        } else if (c == boolean.class || c == Boolean.class) {
          args[i] = in.readBoolean();
        } else {
          args[i] = Instant.ofEpochMilli(in.readLong());
        }
      }
      return (T) schema.constructor().newInstance(args);
    } catch (IOException | ReflectiveOperationException e) {
      throw new SluiceException(ErrorKind.EXECUTION, "cannot decode state: " + e, e);
    }
  }
}
