package io.sluice.internal.batch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a grouping key into bytes, one column after another: a null flag, then the value
 * (fixed-width big-endian numbers; strings as length and UTF-8; binaries as length and the bytes).
 * The bytes are the key of the batch-local table and of the state store, so the encoding is part
 * of the state format. The length prefix keeps keys of several columns apart: ("ab", "c") and
 * ("a", "bc") encode differently.
 */
public final class KeyWriter {
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle BIG_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle NATIVE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private byte[] buffer = new byte[64];
  private int length;

  public void reset() {
    length = 0;
  }

  public int length() {
    return length;
  }

  public byte[] buffer() {
    return buffer;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, length);
  }

  public void putLong(boolean isNull, long value) {
    if (flag(isNull)) {
      putRawLong(value);
    }
  }

  /** A window as its start and end. */
  public void putWindow(long start, long end) {
    flag(false);
    putRawLong(start);
    putRawLong(end);
  }

  /** Forgets what was written after the first {@code length} bytes, e.g. the previous window. */
  public void truncate(int length) {
    this.length = length;
  }

  public void putInt(boolean isNull, int value) {
    if (flag(isNull)) {
      putRawInt(value);
    }
  }

  public void putDouble(boolean isNull, double value) {
    // Normalise -0.0 and NaNs so that equal SQL values group together.
    double v = value == 0.0 ? 0.0 : value;
    putLong(isNull, Double.isNaN(v) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(v));
  }

  public void putBoolean(boolean isNull, boolean value) {
    if (flag(isNull)) {
      ensure(1);
      buffer[length++] = (byte) (value ? 1 : 0);
    }
  }

  public void putString(boolean isNull, @Nullable Object value) {
    if (flag(isNull || value == null)) {
      String s = (String) value;
      int lengthAt = length;
      putRawInt(0);
      if (!putAscii(s)) {
        length = lengthAt + 4;
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, length, utf8.length);
        length += utf8.length;
      }
      int written = length - lengthAt - 4;
      for (int shift = 24, at = lengthAt; shift >= 0; shift -= 8) {
        buffer[at++] = (byte) (written >>> shift);
      }
    }
  }

  /** A BINARY value: its length, then its bytes, so that equal contents are equal keys. */
  public void putBinary(boolean isNull, byte @Nullable [] value) {
    if (flag(isNull || value == null)) {
      putBytes(value, 0, value.length);
    }
  }

  /** Copies an ASCII string byte by byte (its UTF-8 form) without allocating; false if not ASCII. */
  private boolean putAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return false;
      }
      buffer[length + i] = (byte) c;
    }
    length += n;
    return true;
  }

  /** Appends raw bytes, e.g. a group key inside a distinct-value key. */
  public void putBytes(byte[] bytes, int offset, int count) {
    putRawInt(count);
    ensure(count);
    System.arraycopy(bytes, offset, buffer, length, count);
    length += count;
  }

  public void putByte(int value) {
    ensure(1);
    buffer[length++] = (byte) value;
  }

  private boolean flag(boolean isNull) {
    ensure(1);
    buffer[length++] = (byte) (isNull ? 0 : 1);
    return !isNull;
  }

  private void putRawLong(long value) {
    ensure(8);
    BIG_ENDIAN_LONG.set(buffer, length, value);
    length += 8;
  }

  private void putRawInt(int value) {
    ensure(4);
    BIG_ENDIAN_INT.set(buffer, length, value);
    length += 4;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }

  /** A stable hash of bytes, the same in every JVM: it decides a key's state partition. */
  public static int hash(byte[] bytes, int offset, int count) {
    int h = 0x9747b28c;
    for (int i = offset; i < offset + count; i++) {
      h ^= bytes[i] & 0xff;
      h *= 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  /**
   * A fast hash of bytes for tables that live within one batch: eight bytes at a time, and free to
   * differ between JVMs and machines, so it must never decide where a key is kept. {@link #hash}
   * does that.
   */
  public static int localHash(byte[] bytes, int count) {
    long h = count * 0x9E3779B97F4A7C15L;
    int i = 0;
    for (; i + 8 <= count; i += 8) {
      h = (h ^ (long) NATIVE_LONG.get(bytes, i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    for (; i < count; i++) {
      h = (h ^ (bytes[i] & 0xff)) * 0x94D049BB133111EBL;
    }
    h ^= h >>> 29;
    return (int) (h ^ (h >>> 32));
  }

  /**
   * Whether {@code a[from .. from + count)} holds {@code b[0 .. count)}: eight bytes at a time,
   * which beats {@link java.util.Arrays#equals} on keys a few words long.
   */
  static boolean equalBytes(byte[] a, int from, byte[] b, int count) {
    int i = 0;
    for (; i + 8 <= count; i += 8) {
      if ((long) NATIVE_LONG.get(a, from + i) != (long) NATIVE_LONG.get(b, i)) {
        return false;
      }
    }
    for (; i < count; i++) {
      if (a[from + i] != b[i]) {
        return false;
      }
    }
    return true;
  }
}
