package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.statecodec.StateCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Encodes the keys of {@code groupByKey} into state-store keys and back, so that a key whose
 * timeout fires can be handed to the user's function again: scalars directly, records with their
 * state codec. A leading byte tells null from a value. Equal keys give equal bytes; a {@code
 * byte[]} key counts by content, as Spark groups binary keys.
 */
final class GroupKeys {
  private final Class<?> type;
  private final @Nullable StateCodec<Object> record;
  private final String role;

  GroupKeys(Class<?> type) {
    this(type, "the key function of groupByKey returned");
  }

  /** {@code role} starts the message for a value of another type, e.g. "a state value is". */
  @SuppressWarnings("unchecked")
  GroupKeys(Class<?> type, String role) {
    this.type = type;
    this.role = role;
    this.record = scalar(type) ? null : (StateCodec<Object>) StateCodec.of(type);
  }

  static boolean scalar(Class<?> type) {
    return type == String.class || type == Long.class || type == Integer.class
        || type == Double.class || type == Boolean.class || type == Instant.class
        || type == byte[].class;
  }

  byte[] encode(@Nullable Object key) {
    if (key == null) {
      return new byte[] {0};
    }
    if (!type.isInstance(key)) {
      throw new SluiceException(ErrorKind.EXECUTION, role + " "
          + key.getClass().getName() + ", not the declared " + type.getName());
    }
    byte[] body;
    if (record != null) {
      body = record.encode(key);
    } else if (key instanceof String s) {
      body = s.getBytes(StandardCharsets.UTF_8);
    } else if (key instanceof Long l) {
      body = ByteBuffer.allocate(8).putLong(l).array();
    } else if (key instanceof Integer i) {
      body = ByteBuffer.allocate(4).putInt(i).array();
    } else if (key instanceof Double d) {
      // -0.0 and NaNs group together, as in SQL.
      double v = d == 0.0 ? 0.0 : d;
      body = ByteBuffer.allocate(8).putLong(Double.isNaN(v) ? 0x7ff8000000000000L
          : Double.doubleToRawLongBits(v)).array();
    } else if (key instanceof Boolean b) {
      body = new byte[] {(byte) (b ? 1 : 0)};
    } else if (key instanceof byte[] b) {
      body = b;
    } else {
      body = ByteBuffer.allocate(8).putLong(((Instant) key).toEpochMilli()).array();
    }
    byte[] bytes = new byte[body.length + 1];
    bytes[0] = 1;
    System.arraycopy(body, 0, bytes, 1, body.length);
    return bytes;
  }

  @Nullable Object decode(byte[] bytes) {
    if (bytes[0] == 0) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    if (record != null) {
      byte[] body = new byte[bytes.length - 1];
      in.get(body);
      return record.decode(body);
    } else if (type == String.class) {
      return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
    } else if (type == Long.class) {
      return in.getLong();
    } else if (type == Integer.class) {
      return in.getInt();
    } else if (type == Double.class) {
      return Double.longBitsToDouble(in.getLong());
    } else if (type == Boolean.class) {
      return in.get() != 0;
    } else if (type == byte[].class) {
      return Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Instant.ofEpochMilli(in.getLong());
  }
}
