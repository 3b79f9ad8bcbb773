package io.sluice.internal.statecodec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** The bytes of one value being encoded: a growable array written front to back, big-endian. */
final class ValueOutput {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private byte[] bytes;
  private int size;

  /** An empty output; {@code capacity} is a guess, exact for values without strings. */
  ValueOutput(int capacity) {
    bytes = new byte[capacity];
  }

  void putByte(int b) {
    reserve(1);
    bytes[size++] = (byte) b;
  }

  void putInt(int v) {
    reserve(4);
    INTS.set(bytes, size, v);
    size += 4;
  }

  void putLong(long v) {
    reserve(8);
    LONGS.set(bytes, size, v);
    size += 8;
  }

  /** An unsigned LEB128 number: seven bits a byte, low bits first; one byte below 128. */
  void putVarInt(int v) {
    while ((v & ~0x7f) != 0) {
      putByte((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    putByte(v);
  }

  void putBytes(byte[] b) {
    reserve(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
  }

  /** The bytes written, without copying them when the guess was exact. */
  byte[] toByteArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }

  private void reserve(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }
}
