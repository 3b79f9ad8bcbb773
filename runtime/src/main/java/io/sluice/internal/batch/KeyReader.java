package io.sluice.internal.batch;

import io.sluice.api.DataType;
import io.sluice.api.TimeWindow;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Decodes the bytes {@link KeyWriter} wrote, column by column, into output vectors. */
public final class KeyReader {
  private byte[] bytes = new byte[0];
  private int position;

  public KeyReader reset(byte[] source, int offset) {
    this.bytes = source;
    this.position = offset;
    return this;
  }

  /** The offset of the next column. */
  public int position() {
    return position;
  }

  /** Reads the next column, of type {@code type}, and appends it to {@code out}. */
  public void readInto(ColumnVector out, DataType type) {
    if (type != DataType.WINDOW && type != DataType.BINARY) {
      readInto(out);
    } else if (bytes[position++] == 0) {
      out.appendNull();
    } else if (type == DataType.BINARY) {
      int length = readInt();
      ((ObjectVector) out).append(Arrays.copyOfRange(bytes, position, position + length));
      position += length;
    } else {
      long start = readLong();
      ((ObjectVector) out).append(new TimeWindow(start, readLong()));
    }
  }

  /** Skips the next column, of type {@code type}. */
  public void skip(DataType type) {
    if (bytes[position++] == 0) {
      return;
    }
    switch (type) {
      case BOOLEAN:
        position += 1;
        break;
      case INT:
        position += 4;
        break;
      case STRING:
      case BINARY:
      case NULL:
        position += 4 + readInt();
        break;
      case WINDOW:
        position += 16;
        break;
      default:
        position += 8;
    }
  }

  /**
   * The next column's event time, of a TIMESTAMP or BIGINT key or the end of a WINDOW key; {@code
   * Long.MAX_VALUE} for null, which no watermark passes.
   */
  public long readEventTime(DataType type) {
    if (bytes[position++] == 0) {
      return Long.MAX_VALUE;
    }
    if (type == DataType.WINDOW) {
      readLong();
    }
    return readLong();
  }

  /** Reads the next column and appends it to {@code out}, whose type says how to decode. */
  public void readInto(ColumnVector out) {
    if (bytes[position++] == 0) {
      out.appendNull();
      return;
    }
    if (out instanceof LongVector v) {
      v.append(readLong());
    } else if (out instanceof IntVector v) {
      v.append(readInt());
    } else if (out instanceof DoubleVector v) {
      v.append(Double.longBitsToDouble(readLong()));
    } else if (out instanceof BooleanVector v) {
      v.append(bytes[position++] != 0);
    } else {
      int length = readInt();
      ((ObjectVector) out).append(new String(bytes, position, length, StandardCharsets.UTF_8));
      position += length;
    }
  }

  private long readLong() {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[position++] & 0xff);
    }
    return value;
  }

  private int readInt() {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (bytes[position++] & 0xff);
    }
    return value;
  }
}
