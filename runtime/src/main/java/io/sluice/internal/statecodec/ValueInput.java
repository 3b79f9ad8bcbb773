package io.sluice.internal.statecodec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one value being decoded, read front to back. Reading past the end throws an
 * {@link IndexOutOfBoundsException}, which {@link StateCodec#decode} reports as a damaged value.
 */
final class ValueInput {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] bytes;
  private int position;

  ValueInput(byte[] bytes) {
    this.bytes = bytes;
  }

  int getByte() {
    return bytes[position++];
  }

  /** A byte that is 0 or 1: a boolean, or a presence byte (whether a value follows). */
  boolean getFlag() {
    int b = getByte();
    if (b != 0 && b != 1) {
      throw new IndexOutOfBoundsException("expected 0 or 1 but found " + b + " at " + (position - 1));
    }
    return b == 1;
  }

  int getInt() {
    int v = (int) INTS.get(bytes, position);
    position += 4;
    return v;
  }

  long getLong() {
    long v = (long) LONGS.get(bytes, position);
    position += 8;
    return v;
  }

  /** A number written by {@link ValueOutput#putVarInt}. */
  int getVarInt() {
    int v = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = getByte();
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IndexOutOfBoundsException("length longer than five bytes at " + position);
  }

  /** A string: its UTF-8 byte count, then the bytes. */
  String getString() {
    int length = getVarInt();
    String s = new String(bytes, position, length, StandardCharsets.UTF_8);
    position += length;
    return s;
  }

  /** A byte array: its length, then the bytes. */
  byte[] getBytes() {
    int length = getVarInt();
    if (length < 0 || length > bytes.length - position) {
      throw new IndexOutOfBoundsException("a binary of " + length + " bytes at " + position);
    }
    byte[] b = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return b;
  }

  void skip(int n) {
    if (n < 0 || n > bytes.length - position) {
      throw new IndexOutOfBoundsException("skipping " + n + " bytes at " + position);
    }
    position += n;
  }

  /** Whether every byte has been read; a value with bytes left over was not written this way. */
  boolean atEnd() {
    return position == bytes.length;
  }

  int position() {
    return position;
  }
}
