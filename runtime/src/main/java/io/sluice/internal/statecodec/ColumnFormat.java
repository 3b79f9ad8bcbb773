package io.sluice.internal.statecodec;

import io.sluice.api.DataType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * How the values of one column type are written: the part of the layout that depends on the type
 * alone (the presence byte of a nullable column is the caller's). Values are boxed here; the
 * writers of primitive columns use {@link ValueOutput} directly so as not to box.
 */
enum ColumnFormat {
  BOOLEAN(1) {
    @Override
    void write(Object value, ValueOutput out) {
      out.putByte((Boolean) value ? 1 : 0);
    }

    @Override
    Object read(ValueInput in) {
      return in.getFlag();
    }
  },
  INT(4) {
    @Override
    void write(Object value, ValueOutput out) {
      out.putInt((Integer) value);
    }

    @Override
    Object read(ValueInput in) {
      return in.getInt();
    }
  },
  LONG(8) {
    @Override
    void write(Object value, ValueOutput out) {
      out.putLong((Long) value);
    }

    @Override
    Object read(ValueInput in) {
      return in.getLong();
    }
  },
  DOUBLE(8) {
    @Override
    void write(Object value, ValueOutput out) {
      out.putLong(bits((Double) value));
    }

    @Override
    Object read(ValueInput in) {
      return Double.longBitsToDouble(in.getLong());
    }
  },
  /** Its UTF-8 bytes, written as a BINARY's. */
  STRING(-1) {
    @Override
    void write(Object value, ValueOutput out) {
      BINARY.write(((String) value).getBytes(StandardCharsets.UTF_8), out);
    }

    @Override
    Object read(ValueInput in) {
      return in.getString();
    }
  },
  /** A {@code byte[]}: its length as a var-int, then the bytes. */
  BINARY(-1) {
    @Override
    void write(Object value, ValueOutput out) {
      byte[] bytes = (byte[]) value;
      out.putVarInt(bytes.length);
      out.putBytes(bytes);
    }

    @Override
    Object read(ValueInput in) {
      return in.getBytes();
    }
  },
  /** An {@link Instant} as epoch milliseconds; finer precision is dropped, as in the engine. */
  TIMESTAMP(8) {
    @Override
    void write(Object value, ValueOutput out) {
      out.putLong(((Instant) value).toEpochMilli());
    }

    @Override
    Object read(ValueInput in) {
      return Instant.ofEpochMilli(in.getLong());
    }
  };

  /** A guess at a string's or a binary's size, for sizing a value's output before writing it. */
  static final int STRING_GUESS = 16;

  private final int width;

  ColumnFormat(int width) {
    this.width = width;
  }

  /** The format of columns of {@code type}, one of the types a state may hold. */
  static ColumnFormat of(DataType type) {
    switch (type) {
      case BOOLEAN:
        return BOOLEAN;
      case INT:
        return INT;
      case LONG:
        return LONG;
      case DOUBLE:
        return DOUBLE;
      case STRING:
        return STRING;
      case BINARY:
        return BINARY;
      case TIMESTAMP:
        return TIMESTAMP;
      default:
        throw new IllegalArgumentException("a state cannot hold values of type " + type);
    }
  }

  /**
   * The bits of a double, with every NaN made the same one. Records compare doubles this way too
   * ({@link Double#compare}), so equal values, keys in particular, always get equal bytes.
   */
  static long bits(double d) {
    return Double.doubleToLongBits(d);
  }

  /** Writes a non-null value of this type. */
  abstract void write(Object value, ValueOutput out);

  /** Reads a value written by {@link #write}. */
  abstract Object read(ValueInput in);

  /**
   * Passes over a value written by {@link #write}, for a column the state type no longer has; a
   * value of no fixed width starts with its byte count.
   */
  void skip(ValueInput in) {
    in.skip(width >= 0 ? width : in.getVarInt());
  }

  /** The bytes a value takes, or a guess for strings and binaries. */
  int sizeGuess() {
    return width >= 0 ? width : STRING_GUESS;
  }
}
