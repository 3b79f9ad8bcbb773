package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.internal.analysis.AggregateFunction;
import io.sluice.internal.batch.Arithmetic;
import io.sluice.internal.batch.BooleanVector;
import io.sluice.internal.batch.ColumnVector;
import io.sluice.internal.batch.DoubleVector;
import io.sluice.internal.batch.IntVector;
import io.sluice.internal.batch.LongVector;
import io.sluice.internal.batch.ObjectVector;
import io.sluice.internal.batch.PartialAggregation;
import io.sluice.internal.batch.StringOrder;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One group's aggregate buffers as held in the state store: decoded from and encoded to the
 * store's value bytes, merged with a batch's partial buffers, and finished into result values.
 *
 * <p>This runs once per key per batch, not per row, so it stays plain Java rather than generated.
 * Value format: the longs, big-endian, then each reference as a presence byte and, if present, a
 * length and the bytes: UTF-8 for a string, as they are for a binary.
 */
final class AggregateBuffer {
  private final List<AggregateSlot> slots;
  private final long[] longs;
  private final Object[] refs;
  /** Whether each reference holds a {@code byte[]}, else a string. */
  private final boolean[] binaryRefs;

  AggregateBuffer(AggregationPlan plan) {
    this.slots = plan.aggregates();
    this.longs = new long[plan.longWidth()];
    this.refs = new Object[plan.refWidth()];
    this.binaryRefs = new boolean[plan.refWidth()];
    for (AggregateSlot a : slots) {
      if (AggregateSlot.refWidth(a.function(), a.inputType()) > 0) {
        binaryRefs[a.refOffset()] = a.inputType() == DataType.BINARY;
      }
    }
  }

  void clear() {
    Arrays.fill(longs, 0L);
    Arrays.fill(refs, null);
  }

  void decode(byte[] value) {
    ByteBuffer in = ByteBuffer.wrap(value);
    for (int i = 0; i < longs.length; i++) {
      longs[i] = in.getLong();
    }
    for (int i = 0; i < refs.length; i++) {
      if (in.get() == 0) {
        refs[i] = null;
      } else {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        refs[i] = binaryRefs[i] ? bytes : new String(bytes, StandardCharsets.UTF_8);
      }
    }
  }

  byte[] encode() {
    byte[][] strings = new byte[refs.length][];
    int size = longs.length * 8 + refs.length;
    for (int i = 0; i < refs.length; i++) {
      if (refs[i] != null) {
        strings[i] = binaryRefs[i] ? (byte[]) refs[i]
            : ((String) refs[i]).getBytes(StandardCharsets.UTF_8);
        size += 4 + strings[i].length;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (long l : longs) {
      out.putLong(l);
    }
    for (byte[] s : strings) {
      out.put((byte) (s == null ? 0 : 1));
      if (s != null) {
        out.putInt(s.length).put(s);
      }
    }
    return out.array();
  }

  /** Adds the partial buffers of {@code slot} in {@code partial} to this buffer. */
  void merge(PartialAggregation partial, int slot) {
    int base = slot * partial.longWidth();
    int refBase = slot * partial.refWidth();
    for (AggregateSlot a : slots) {
      mergeOne(a, partial.longs, base + a.longOffset(), partial.refs, refBase + a.refOffset());
    }
  }

  /** Adds another group's buffers to this one, e.g. when two sessions merge. */
  void merge(AggregateBuffer other) {
    for (AggregateSlot a : slots) {
      mergeOne(a, other.longs, a.longOffset(), other.refs, a.refOffset());
    }
  }

  private void mergeOne(AggregateSlot a, long[] p, int at, Object[] pRefs, int refAt) {
    int mine = a.longOffset();
    switch (a.function()) {
      case COUNT:
      case COUNT_DISTINCT:
        longs[mine] += p[at];
        return;
      case SUM:
        if (p[at + 1] != 0) {
          longs[mine] = a.resultType() == DataType.DOUBLE
              ? addDoubles(longs[mine], p[at])
              : Arithmetic.add(longs[mine], p[at]);
          longs[mine + 1] = 1;
        }
        return;
      case AVG:
        longs[mine] = addDoubles(longs[mine], p[at]);
        longs[mine + 1] += p[at + 1];
        return;
      default:
        mergeMinMax(a, p, at, pRefs, refAt);
    }
  }

  private void mergeMinMax(AggregateSlot a, long[] p, int at, Object[] pRefs, int refAt) {
    int sign = a.function() == AggregateFunction.MIN ? -1 : 1;
    int mine = a.longOffset();
    if (AggregateSlot.byReference(a.inputType())) {
      Object candidate = pRefs[refAt];
      if (p[at] != 0 && (longs[mine] == 0
          || Integer.signum(compareReferences(candidate, refs[a.refOffset()])) == sign)) {
        refs[a.refOffset()] = candidate;
        longs[mine] = 1;
      }
      return;
    }
    if (p[at + 1] == 0) {
      return;
    }
    int compared = a.inputType() == DataType.DOUBLE
        ? Double.compare(Double.longBitsToDouble(p[at]), Double.longBitsToDouble(longs[mine]))
        : Long.compare(p[at], longs[mine]);
    if (longs[mine + 1] == 0 || Integer.signum(compared) == sign) {
      longs[mine] = p[at];
      longs[mine + 1] = 1;
    }
  }

  /** Strings by code point, binaries unsigned byte by byte: the orders the stage compares in. */
  private static int compareReferences(Object a, Object b) {
    return a instanceof byte[] x ? Arrays.compareUnsigned(x, (byte[]) b)
        : StringOrder.compare((String) a, (String) b);
  }

  private static long addDoubles(long a, long b) {
    return Double.doubleToRawLongBits(Double.longBitsToDouble(a) + Double.longBitsToDouble(b));
  }

  /** Appends aggregate {@code a}'s final value to {@code out}. */
  void finish(AggregateSlot a, ColumnVector out) {
    int at = a.longOffset();
    switch (a.function()) {
      case COUNT:
      case COUNT_DISTINCT:
        ((LongVector) out).append(longs[at]);
        return;
      case AVG:
        if (longs[at + 1] == 0) {
          out.appendNull();
        } else {
          ((DoubleVector) out).append(Double.longBitsToDouble(longs[at]) / longs[at + 1]);
        }
        return;
      case SUM:
        if (longs[at + 1] == 0) {
          out.appendNull();
        } else if (out instanceof DoubleVector d) {
          d.append(Double.longBitsToDouble(longs[at]));
        } else {
          ((LongVector) out).append(longs[at]);
        }
        return;
      default:
        finishMinMax(a, out);
    }
  }

  private void finishMinMax(AggregateSlot a, ColumnVector out) {
    int at = a.longOffset();
    if (AggregateSlot.byReference(a.inputType())) {
      if (longs[at] == 0) {
        out.appendNull();
      } else {
        ((ObjectVector) out).append(refs[a.refOffset()]);
      }
      return;
    }
    if (longs[at + 1] == 0) {
      out.appendNull();
    } else if (out instanceof DoubleVector d) {
      d.append(Double.longBitsToDouble(longs[at]));
    } else if (out instanceof IntVector v) {
      v.append((int) longs[at]);
    } else if (out instanceof BooleanVector v) {
      v.append(longs[at] != 0);
    } else {
      ((LongVector) out).append(longs[at]);
    }
  }

  /** Adds {@code delta} to the count of the count-distinct aggregate at {@code index}. */
  static void addToPartialCount(PartialAggregation partial, int slot, AggregateSlot a, long delta) {
    partial.longs[slot * partial.longWidth() + a.longOffset()] += delta;
  }
}
