package io.sluice.internal.batch;

import java.nio.charset.StandardCharsets;

/** Decodes the bytes {@link KeyWriter} wrote, column by column, into output vectors. */
public final class KeyReader {
  private byte[] bytes = new byte[0];
  private int position;

  public KeyReader reset(byte[] source, int offset) {
    this.bytes = source;
    this.position = offset;
    return this;
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
