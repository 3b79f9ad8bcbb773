package io.sluice.internal.codegen;

import com.palantir.javapoet.CodeBlock;
import io.sluice.api.DataType;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.batch.Arithmetic;
import io.sluice.internal.batch.StringOrder;
import io.sluice.internal.batch.Windows;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;
import java.util.Arrays;
import java.util.List;

/**
 * Emits the per-row end of an aggregating stage: encode the grouping key, find the key's slot in
 * the batch-local table, and update each aggregate's buffer in place.
 *
 * <p>Buffers are longs (doubles stored as their bits), laid out as {@link AggregateSlot} describes;
 * string and binary min/max keep their value in the slot's object references.
 */
final class AggregateCodegen {
  private final CodeBlock.Builder code;
  private final ExpressionCodegen expressions;
  private final LocalNames names;

  AggregateCodegen(CodeBlock.Builder code, ExpressionCodegen expressions, LocalNames names) {
    this.code = code;
    this.expressions = expressions;
    this.names = names;
  }

  void emit(AggregationPlan plan, List<ExprCode> scope) {
    code.addStatement("key.reset()");
    int loops = 0;
    // Late groups are dropped by the state merge, after this batch-local aggregation, as Spark
    // drops them in its state store step and counts one per group.
    for (Bound grouping : plan.groupings()) {
      if (grouping instanceof Bound.TimeWindow w) {
        loops += timeWindow(w, scope);
      } else if (grouping instanceof Bound.SessionWindow w) {
        sessionWindow(w, scope);
      } else {
        ExprCode key = expressions.emit(grouping, scope);
        code.addStatement("key.$L($L, $L)", putMethod(grouping.type()), key.isNull(), key.value());
      }
    }
    updateGroup(plan, scope);
    for (; loops > 0; loops--) {
      code.endControlFlow();
    }
  }

  /**
   * The window(s) of the row's time: one for a tumbling window, else a loop over the windows that
   * contain it, in which the rest of the row's update runs. A row without a time has no window
   * and is skipped, as Spark filters it out. Returns the number of loops opened.
   */
  private int timeWindow(Bound.TimeWindow w, List<ExprCode> scope) {
    ExprCode time = expressions.emit(w.time(), scope);
    skipIf(time.isNull());
    String start = names.local("windowStart");
    String end = names.local("windowEnd");
    if (w.tumbling()) {
      code.addStatement("long $L = $L", start, ExpressionCodegen.windowStart(w, time.value()));
      code.addStatement("long $L = $L + $LL", end, start, w.size());
      code.addStatement("key.putWindow($L, $L)", start, end);
      return 0;
    }
    String last = names.local("lastStart");
    String mark = names.local("keyLength");
    String nth = names.local("window");
    code.addStatement("long $L = $L", last, ExpressionCodegen.windowStart(w, time.value()));
    code.addStatement("int $L = key.length()", mark);
    code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", nth, nth, w.overlapping(), nth);
    code.addStatement("long $L = $L - $L * $LL", start, last, nth, w.slide());
    code.addStatement("long $L = $L + $LL", end, start, w.size());
    // The oldest candidate windows may end before the row's time.
    code.beginControlFlow("if ($L <= $L)", end, time.value());
    code.addStatement("continue");
    code.endControlFlow();
    code.addStatement("key.truncate($L)", mark);
    code.addStatement("key.putWindow($L, $L)", start, end);
    return 1;
  }

  /** The row's own session {@code [time, time + gap)}; the state merges overlapping ones. */
  private void sessionWindow(Bound.SessionWindow w, List<ExprCode> scope) {
    ExprCode time = expressions.emit(w.time(), scope);
    skipIf(time.isNull());
    ExprCode gap = expressions.emit(w.gap(), scope);
    skipIf(gap.isNull());
    String gapMillis = names.local("gap");
    if (w.gap().type() == DataType.STRING) {
      code.addStatement("long $L = $T.gapMillis($L)", gapMillis, Windows.class, gap.value());
    } else {
      code.addStatement("long $L = $L", gapMillis, gap.value());
    }
    skipIf(gapMillis + " <= 0L");
    String end = names.local("sessionEnd");
    code.addStatement("long $L = $L + $L", end, time.value(), gapMillis);
    code.addStatement("key.putWindow($L, $L)", time.value(), end);
  }

  private void skipIf(String condition) {
    if (!condition.equals("false")) {
      code.beginControlFlow("if ($L)", condition);
      code.addStatement("continue");
      code.endControlFlow();
    }
  }

  private void updateGroup(AggregationPlan plan, List<ExprCode> scope) {
    code.addStatement("int slot = groups.slot(key)");
    code.addStatement("long[] buffer = groups.longs");
    code.addStatement("int at = slot * $L", plan.longWidth());
    if (plan.refWidth() > 0) {
      code.addStatement("Object[] refs = groups.refs");
      code.addStatement("int refAt = slot * $L", plan.refWidth());
    }
    for (AggregateSlot slot : plan.aggregates()) {
      update(slot, scope);
    }
  }

  static String putMethod(DataType type) {
    switch (type) {
      case BOOLEAN:
        return "putBoolean";
      case INT:
        return "putInt";
      case DOUBLE:
        return "putDouble";
      case STRING:
      case NULL:
        return "putString";
      case BINARY:
        return "putBinary";
      default:
        return "putLong";
    }
  }

  private void update(AggregateSlot slot, List<ExprCode> scope) {
    String at = "at + " + slot.longOffset();
    String seen = "at + " + (slot.longOffset() + 1);
    if (slot.argument() == null) {
      code.addStatement("buffer[$L] += 1L", at);
      return;
    }
    ExprCode x = expressions.emit(slot.argument(), scope);
    DataType input = slot.argument().type();
    boolean guarded = x.canBeNull();
    if (guarded) {
      code.beginControlFlow("if (!$L)", x.isNull());
    }
    switch (slot.function()) {
      case COUNT:
        code.addStatement("buffer[$L] += 1L", at);
        break;
      case COUNT_DISTINCT:
        distinct(slot, x, input);
        break;
      case SUM:
        if (slot.resultType() == DataType.DOUBLE) {
          addDouble(at, x.value());
        } else {
          code.addStatement("buffer[$L] = $T.add(buffer[$L], $L)", at, Arithmetic.class, at,
              widened(input, DataType.LONG, x.value()));
        }
        code.addStatement("buffer[$L] = 1L", seen);
        break;
      case AVG:
        addDouble(at, widened(input, DataType.DOUBLE, x.value()));
        code.addStatement("buffer[$L] += 1L", seen);
        break;
      default:
        minMax(slot, x, input, at, seen);
    }
    if (guarded) {
      code.endControlFlow();
    }
  }

  /** {@code value} as a Java {@code long} or {@code double}, cast only where it is not one. */
  private static String widened(DataType from, DataType to, String value) {
    boolean same = to == DataType.DOUBLE ? from == DataType.DOUBLE
        : from != DataType.INT && from != DataType.DOUBLE;
    return same ? value : "(" + (to == DataType.DOUBLE ? "double" : "long") + ") " + value;
  }

  private void addDouble(String at, String value) {
    code.addStatement(
        "buffer[$L] = Double.doubleToRawLongBits(Double.longBitsToDouble(buffer[$L]) + $L)", at, at,
        value);
  }

  private void minMax(AggregateSlot slot, ExprCode x, DataType input, String at, String seen) {
    String better = slot.function() == io.sluice.internal.analysis.AggregateFunction.MIN
        ? "< 0" : "> 0";
    if (AggregateSlot.byReference(input)) {
      String ref = "refAt + " + slot.refOffset();
      CodeBlock compared = input == DataType.STRING
          ? CodeBlock.of("$T.compare($L, (String) refs[$L])", StringOrder.class, x.value(), ref)
          : CodeBlock.of("$T.compareUnsigned($L, (byte[]) refs[$L])", Arrays.class, x.value(),
              ref);
      code.beginControlFlow("if (buffer[$L] == 0L || $L $L)", at, compared, better);
      code.addStatement("refs[$L] = $L", ref, x.value());
      code.addStatement("buffer[$L] = 1L", at);
      code.endControlFlow();
      return;
    }
    String candidate;
    String current;
    if (input == DataType.DOUBLE) {
      candidate = "Double.doubleToRawLongBits(" + x.value() + ")";
      current = "Double.compare(" + x.value() + ", Double.longBitsToDouble(buffer[" + at + "]))";
    } else if (input == DataType.BOOLEAN) {
      candidate = "(" + x.value() + " ? 1L : 0L)";
      current = "Long.compare(" + candidate + ", buffer[" + at + "])";
    } else {
      candidate = widened(input, DataType.LONG, x.value());
      current = "Long.compare(" + candidate + ", buffer[" + at + "])";
    }
    code.beginControlFlow("if (buffer[$L] == 0L || $L $L)", seen, current, better);
    code.addStatement("buffer[$L] = $L", at, candidate);
    code.addStatement("buffer[$L] = 1L", seen);
    code.endControlFlow();
  }

  /** Records (group, aggregate, value) once per batch; the merge counts values new to the state. */
  private void distinct(AggregateSlot slot, ExprCode x, DataType input) {
    code.addStatement("distinctKey.reset()");
    code.addStatement("distinctKey.putBytes(key.buffer(), 0, key.length())");
    code.addStatement("distinctKey.putByte($L)", slot.index());
    code.addStatement("distinctKey.$L(false, $L)", putMethod(input), x.value());
    String entry = names.local("distinctSlot");
    code.addStatement("int $L = distinct.slot(distinctKey)", entry);
    code.addStatement("distinct.longs[$L] = slot", entry);
  }
}
