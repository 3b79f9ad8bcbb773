package io.sluice.internal.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.api.TimeWindow;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.batch.Arithmetic;
import io.sluice.internal.batch.Casts;
import io.sluice.internal.batch.LikePattern;
import io.sluice.internal.batch.StringOrder;
import io.sluice.internal.batch.Windows;
import io.sluice.internal.expression.Expr.BinaryOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits Java statements that evaluate a {@link Bound} expression for the current row.
 *
 * <p>Each node becomes a pair of locals (is-null, value) or, when it cannot fail or be null, a plain
 * Java expression. Anything that can throw (overflow, division by zero, a bad cast, a function) is
 * evaluated only when its inputs are not null, and only on the branch that needs it: CASE, AND and
 * OR are lazy as in SQL.
 */
final class ExpressionCodegen {
  private final CodeBlock.Builder code;
  private final ConstantPool constants;
  private final LocalNames names;
  /**
   * Results already computed, innermost block last: a subexpression that occurs twice (a grouping
   * key reused in the output, the arguments of greatest or coalesce) is evaluated once, as long as
   * its first evaluation is in a block that encloses the second.
   */
  private final Deque<Map<Computed, ExprCode>> computed = new ArrayDeque<>();

  ExpressionCodegen(CodeBlock.Builder code, ConstantPool constants, LocalNames names) {
    this.code = code;
    this.constants = constants;
    this.names = names;
    this.computed.push(new HashMap<>());
  }

  /** An expression over one particular row scope; scopes compare by identity. */
  private record Computed(List<ExprCode> scope, Bound expression) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Computed c && c.scope == scope && c.expression.equals(expression);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(scope) * 31 + expression.hashCode();
    }
  }

  private void enterBlock() {
    computed.push(new HashMap<>());
  }

  private void exitBlock() {
    computed.pop();
  }

  private static final TypeName BYTES = ArrayTypeName.of(TypeName.BYTE);

  /** The Java type that holds values of {@code type} in generated code. */
  static TypeName javaType(DataType type) {
    switch (type) {
      case BINARY:
        return BYTES;
      case BOOLEAN:
        return TypeName.BOOLEAN;
      case INT:
        return TypeName.INT;
      case DOUBLE:
        return TypeName.DOUBLE;
      case STRING:
        return ClassName.get(String.class);
      case NULL:
        return ClassName.OBJECT;
      case WINDOW:
        return ClassName.get(TimeWindow.class);
      default:
        return TypeName.LONG;
    }
  }

  static String defaultValue(DataType type) {
    switch (type) {
      case BOOLEAN:
        return "false";
      case INT:
        return "0";
      case DOUBLE:
        return "0.0";
      case STRING:
      case BINARY:
      case NULL:
      case WINDOW:
        return "null";
      default:
        return "0L";
    }
  }

  /** Emits code for {@code e} over the columns in {@code scope}; returns where its result is. */
  ExprCode emit(Bound e, List<ExprCode> scope) {
    if (e instanceof Bound.Column c) {
      return scope.get(c.ordinal());
    }
    Computed key = new Computed(scope, e);
    for (Map<Computed, ExprCode> block : computed) {
      ExprCode known = block.get(key);
      if (known != null) {
        return known;
      }
    }
    ExprCode result = compute(e, scope);
    computed.peek().put(key, result);
    return result;
  }

  private ExprCode compute(Bound e, List<ExprCode> scope) {
    if (e instanceof Bound.Literal l) {
      return literal(l);
    } else if (e instanceof Bound.Column c) {
      return scope.get(c.ordinal());
    } else if (e instanceof Bound.Unary u) {
      return unary(u, scope);
    } else if (e instanceof Bound.Binary b) {
      return binary(b, scope);
    } else if (e instanceof Bound.Cast c) {
      return cast(c, scope);
    } else if (e instanceof Bound.Call c) {
      return call(c, scope);
    } else if (e instanceof Bound.Case c) {
      return caseWhen(c, scope);
    } else if (e instanceof Bound.In in) {
      return in(in, scope);
    } else if (e instanceof Bound.IsNull n) {
      ExprCode operand = emit(n.operand(), scope);
      return ExprCode.nonNull(n.negated() ? "!" + operand.isNull() : operand.isNull());
    } else if (e instanceof Bound.Like l) {
      return like(l, scope);
    } else if (e instanceof Bound.WindowField f) {
      return windowField(f, scope);
    } else if (e instanceof Bound.TimeWindow w && w.tumbling()) {
      ExprCode time = emit(w.time(), scope);
      return guarded(DataType.WINDOW, List.of(time), CodeBlock.of("new $T($L, $L + $LL)",
          TimeWindow.class, windowStart(w, time.value()), windowStart(w, time.value()), w.size()));
    } else if (e instanceof Bound.TimeWindow || e instanceof Bound.SessionWindow) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "a sliding window() or a"
          + " session_window() can only be a key of groupBy, since it has no single value per row");
    }
    throw new SluiceException(
        ErrorKind.CODEGEN, "aggregate " + e + " reached the scalar code generator");
  }

  /** The start of the tumbling window {@code w} that holds {@code time}, as Java. */
  static CodeBlock windowStart(Bound.TimeWindow w, String time) {
    return CodeBlock.of("$T.lastStart($L, $LL, $LL)", Windows.class, time, w.slide(), w.offset());
  }

  private ExprCode windowField(Bound.WindowField f, List<ExprCode> scope) {
    if (f.window() instanceof Bound.TimeWindow w && w.tumbling()) {
      // window(ts, ...).start needs no window object.
      ExprCode time = emit(w.time(), scope);
      CodeBlock start = windowStart(w, time.value());
      return guarded(DataType.TIMESTAMP, List.of(time),
          f.end() ? CodeBlock.of("$L + $LL", start, w.size()) : start);
    }
    ExprCode window = emit(f.window(), scope);
    return guarded(DataType.TIMESTAMP, List.of(window),
        CodeBlock.of("$L.$L()", window.value(), f.end() ? "end" : "start"));
  }

  private ExprCode literal(Bound.Literal l) {
    Object v = l.value();
    if (v == null) {
      return new ExprCode("true", defaultValue(l.type()));
    }
    switch (l.type()) {
      case STRING:
        return ExprCode.nonNull(constants.add(v, ClassName.get(String.class)));
      case BINARY:
        // Shared by every row: the functions that take BINARY never write to their arguments.
        return ExprCode.nonNull(constants.add(v, BYTES));
      case BOOLEAN:
        return ExprCode.nonNull(((Boolean) v) ? "true" : "false");
      case INT:
        return ExprCode.nonNull("(" + ((Number) v).intValue() + ")");
      case DOUBLE:
        return ExprCode.nonNull(doubleLiteral(((Number) v).doubleValue()));
      default:
        return ExprCode.nonNull("(" + ((Number) v).longValue() + "L)");
    }
  }

  private static String doubleLiteral(double d) {
    if (Double.isFinite(d)) {
      return "(" + Double.toString(d) + "d)";
    }
    return "Double.longBitsToDouble(" + Double.doubleToRawLongBits(d) + "L)";
  }

  private ExprCode unary(Bound.Unary u, List<ExprCode> scope) {
    ExprCode operand = emit(u.operand(), scope);
    switch (u.op()) {
      case NOT:
        return new ExprCode(operand.isNull(), "!" + operand.value());
      default:
        if (u.type() == DataType.DOUBLE) {
          return new ExprCode(operand.isNull(), "(-" + operand.value() + ")");
        }
        return guarded(u.type(), List.of(operand), CodeBlock.of("$T.negate($L)", Arithmetic.class,
            operand.value()));
    }
  }

  private ExprCode binary(Bound.Binary b, List<ExprCode> scope) {
    if (b.op() == BinaryOp.AND || b.op() == BinaryOp.OR) {
      return logic(b, scope);
    }
    ExprCode l = emit(b.left(), scope);
    ExprCode r = emit(b.right(), scope);
    if (b.op() == BinaryOp.NULL_SAFE_EQ) {
      String bothNull = "(" + l.isNull() + " && " + r.isNull() + ")";
      String equal = equality(b.left().type(), l.value(), r.value(), true);
      return ExprCode.nonNull(
          "(" + bothNull + " || (!" + l.isNull() + " && !" + r.isNull() + " && " + equal + "))");
    }
    if (b.op().isComparison()) {
      return guarded(DataType.BOOLEAN, List.of(l, r), CodeBlock.of("$L",
          comparison(b.op(), b.left().type(), l.value(), r.value())));
    }
    if (b.op() == BinaryOp.CONCAT) {
      return guarded(DataType.STRING, List.of(l, r), CodeBlock.of("$L.concat($L)", l.value(),
          r.value()));
    }
    return guarded(b.type(), List.of(l, r), arithmetic(b, l.value(), r.value()));
  }

  private static CodeBlock arithmetic(Bound.Binary b, String l, String r) {
    DataType operands = b.left().type();
    boolean exact = operands == DataType.INT || operands == DataType.LONG
        || operands == DataType.TIMESTAMP || operands == DataType.INTERVAL;
    switch (b.op()) {
      case ADD:
        return exact ? CodeBlock.of("$T.add($L, $L)", Arithmetic.class, l, r)
            : CodeBlock.of("$L + $L", l, r);
      case SUBTRACT:
        return exact ? CodeBlock.of("$T.subtract($L, $L)", Arithmetic.class, l, r)
            : CodeBlock.of("$L - $L", l, r);
      case MULTIPLY:
        return exact ? CodeBlock.of("$T.multiply($L, $L)", Arithmetic.class, l, r)
            : CodeBlock.of("$L * $L", l, r);
      case DIVIDE:
        return operands == DataType.DOUBLE
            ? CodeBlock.of("$T.divide($L, $L)", Arithmetic.class, l, r)
            : CodeBlock.of("$T.divide((double) $L, (double) $L)", Arithmetic.class, l, r);
      case REMAINDER:
        return CodeBlock.of("$T.remainder($L, $L)", Arithmetic.class, l, r);
      case INTEGER_DIVIDE:
        return operands == DataType.LONG
            ? CodeBlock.of("$T.integerDivide($L, $L)", Arithmetic.class, l, r)
            : CodeBlock.of("$T.integerDivide((long) $L, (long) $L)", Arithmetic.class, l, r);
      default:
        throw new SluiceException(ErrorKind.CODEGEN, "not arithmetic: " + b.op());
    }
  }

  private static String comparison(BinaryOp op, DataType type, String l, String r) {
    if (op == BinaryOp.EQ) {
      return equality(type, l, r, false);
    }
    if (op == BinaryOp.NE) {
      return "!" + equality(type, l, r, false);
    }
    String compared;
    if (type == DataType.STRING) {
      compared = CodeBlock.of("$T.compare($L, $L)", StringOrder.class, l, r).toString();
    } else if (type == DataType.BINARY) {
      // Spark orders bytes unsigned, a shorter prefix first.
      compared = CodeBlock.of("$T.compareUnsigned($L, $L)", Arrays.class, l, r).toString();
    } else if (type == DataType.BOOLEAN) {
      compared = "Boolean.compare(" + l + ", " + r + ")";
    } else if (type == DataType.DOUBLE) {
      compared = "Double.compare(" + l + " == 0.0 ? 0.0 : " + l + ", " + r + " == 0.0 ? 0.0 : "
          + r + ")";
    } else {
      return "(" + l + " " + op.symbol() + " " + r + ")";
    }
    return "(" + compared + " " + op.symbol() + " 0)";
  }

  private static String equality(DataType type, String l, String r, boolean nullSafe) {
    if (type == DataType.BINARY) {
      // By content, which Arrays.equals compares; it also takes two nulls as equal.
      return CodeBlock.of("$T.equals($L, $L)", Arrays.class, l, r).toString();
    }
    if (type == DataType.STRING) {
      return nullSafe ? "java.util.Objects.equals(" + l + ", " + r + ")"
          : l + ".equals(" + r + ")";
    }
    if (type == DataType.DOUBLE) {
      // SQL equality on doubles: NaN equals NaN, and 0.0 equals -0.0.
      return "(" + l + " == " + r + " || (" + l + " != " + l + " && " + r + " != " + r + "))";
    }
    return "(" + l + " == " + r + ")";
  }

  /** Three-valued AND/OR; the right side runs only if the left does not decide. */
  private ExprCode logic(Bound.Binary b, List<ExprCode> scope) {
    boolean and = b.op() == BinaryOp.AND;
    String isNull = names.local("isNull");
    String value = names.local(and ? "and" : "or");
    ExprCode l = emit(b.left(), scope);
    code.addStatement("boolean $L = false", isNull);
    code.addStatement("boolean $L = $L", value, and ? "false" : "true");
    String decides = and ? "!" + l.value() : l.value();
    code.beginControlFlow("if ($L)", or(l.isNull(), "!(" + decides + ")"));
    enterBlock();
    ExprCode r = emit(b.right(), scope);
    String rDecides = and ? "!" + r.value() : r.value();
    code.beginControlFlow("if ($L)", and(not(r.isNull()), rDecides));
    code.addStatement("$L = $L", value, and ? "false" : "true");
    code.nextControlFlow("else if ($L)", or(l.isNull(), r.isNull()));
    code.addStatement("$L = true", isNull);
    code.nextControlFlow("else");
    code.addStatement("$L = $L", value, and ? "true" : "false");
    code.endControlFlow();
    exitBlock();
    code.endControlFlow();
    return new ExprCode(isNull, value);
  }

  private ExprCode cast(Bound.Cast c, List<ExprCode> scope) {
    ExprCode operand = emit(c.operand(), scope);
    DataType from = c.operand().type();
    DataType to = c.type();
    if (from == to || from == DataType.NULL) {
      return from == DataType.NULL ? new ExprCode("true", defaultValue(to)) : operand;
    }
    return guarded(to, List.of(operand), CastCodegen.convert(from, to, operand.value()));
  }

  private ExprCode call(Bound.Call c, List<ExprCode> scope) {
    List<ExprCode> args = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Bound arg : c.args()) {
      ExprCode a = emit(arg, scope);
      args.add(a);
      values.add(a.value());
    }
    CodeBlock call = CodeBlock.of("$T.$L($L)", c.function().owner(), c.function().method(),
        String.join(", ", values));
    return c.function().nullResult() ? nullableCall(c.type(), args, call)
        : guarded(c.type(), args, call);
  }

  /** A call whose method returns a boxed value, null meaning SQL NULL. */
  private ExprCode nullableCall(DataType type, List<ExprCode> args, CodeBlock call) {
    String isNull = names.local("isNull");
    String value = names.local("value");
    String boxed = names.local("boxed");
    List<String> nullable = new ArrayList<>();
    for (ExprCode a : args) {
      if (a.canBeNull()) {
        nullable.add(a.isNull());
      }
    }
    code.addStatement("boolean $L = $L", isNull, nullable.isEmpty() ? "false"
        : String.join(" || ", nullable));
    code.addStatement("$T $L = $L", javaType(type), value, defaultValue(type));
    code.beginControlFlow("if (!$L)", isNull);
    code.addStatement("$T $L = $L", javaType(type).box(), boxed, call);
    code.beginControlFlow("if ($L == null)", boxed);
    code.addStatement("$L = true", isNull);
    code.nextControlFlow("else");
    code.addStatement("$L = $L", value, unboxed(type, boxed));
    code.endControlFlow();
    code.endControlFlow();
    return new ExprCode(isNull, value);
  }

  private static String unboxed(DataType type, String boxed) {
    switch (type) {
      case BOOLEAN:
        return boxed + ".booleanValue()";
      case INT:
        return boxed + ".intValue()";
      case DOUBLE:
        return boxed + ".doubleValue()";
      case STRING:
      case BINARY:
        return boxed;
      default:
        return boxed + ".longValue()";
    }
  }

  private ExprCode caseWhen(Bound.Case c, List<ExprCode> scope) {
    String isNull = names.local("isNull");
    String value = names.local("case");
    code.addStatement("boolean $L = true", isNull);
    code.addStatement("$T $L = $L", javaType(c.type()), value, defaultValue(c.type()));
    for (int i = 0; i < c.conditions().size(); i++) {
      ExprCode condition = emit(c.conditions().get(i), scope);
      code.beginControlFlow("if ($L)", and(not(condition.isNull()), condition.value()));
      enterBlock();
      assign(c.values().get(i), scope, isNull, value);
      exitBlock();
      code.nextControlFlow("else");
      // Later conditions run only when this one failed: their block nests in this else.
      enterBlock();
    }
    if (c.otherwise() != null) {
      assign(c.otherwise(), scope, isNull, value);
    }
    for (int i = 0; i < c.conditions().size(); i++) {
      exitBlock();
      code.endControlFlow();
    }
    return new ExprCode(isNull, value);
  }

  /** {@code a || b}, leaving out a side that is the constant {@code false}. */
  private static String or(String a, String b) {
    return a.equals("false") ? b : b.equals("false") ? a : a + " || " + b;
  }

  /** {@code a && b}, leaving out a side that is the constant {@code true}. */
  private static String and(String a, String b) {
    return a.equals("true") ? b : b.equals("true") ? a : a + " && " + b;
  }

  /** The negation of a null flag, simplified for the constant {@code false}. */
  private static String not(String isNull) {
    return isNull.equals("false") ? "true" : "!" + isNull;
  }

  private void assign(Bound e, List<ExprCode> scope, String isNull, String value) {
    ExprCode result = emit(e, scope);
    code.addStatement("$L = $L", isNull, result.isNull());
    code.addStatement("$L = $L", value, result.value());
  }

  private ExprCode in(Bound.In in, List<ExprCode> scope) {
    ExprCode value = emit(in.value(), scope);
    String found = names.local("found");
    String sawNull = names.local("sawNull");
    code.addStatement("boolean $L = false", found);
    code.addStatement("boolean $L = $L", sawNull, value.isNull());
    code.beginControlFlow("if (!$L)", value.isNull());
    enterBlock();
    for (Bound item : in.list()) {
      ExprCode candidate = emit(item, scope);
      code.beginControlFlow("if ($L)", candidate.isNull());
      code.addStatement("$L = true", sawNull);
      code.nextControlFlow("else if ($L)",
          equality(in.value().type(), value.value(), candidate.value(), false));
      code.addStatement("$L = true", found);
      code.endControlFlow();
    }
    exitBlock();
    code.endControlFlow();
    String isNull = "(!" + found + " && " + sawNull + ")";
    return new ExprCode(isNull, in.negated() ? "!" + found : found);
  }

  private ExprCode like(Bound.Like l, List<ExprCode> scope) {
    ExprCode value = emit(l.value(), scope);
    String pattern = constants.add(LikePattern.compile(l.pattern()), ClassName.get(
        LikePattern.class));
    ExprCode matched = guarded(DataType.BOOLEAN, List.of(value),
        CodeBlock.of("$L.matches($L)", pattern, value.value()));
    return l.negated() ? new ExprCode(matched.isNull(), "!" + matched.value()) : matched;
  }

  /**
   * Evaluates {@code expression} into a new local only when no input is null, so that code which
   * can throw never runs on the placeholder value of a null.
   */
  private ExprCode guarded(DataType type, List<ExprCode> inputs, CodeBlock expression) {
    List<String> nullable = new ArrayList<>();
    for (ExprCode input : inputs) {
      if (input.canBeNull()) {
        nullable.add(input.isNull());
      }
    }
    String value = names.local("value");
    TypeName javaType = javaType(type);
    if (nullable.isEmpty()) {
      code.addStatement("$T $L = $L", javaType, value, expression);
      return ExprCode.nonNull(value);
    }
    String isNull = names.local("isNull");
    code.addStatement("boolean $L = $L", isNull, String.join(" || ", nullable));
    code.addStatement("$T $L = $L", javaType, value, defaultValue(type));
    code.beginControlFlow("if (!$L)", isNull);
    code.addStatement("$L = $L", value, expression);
    code.endControlFlow();
    return new ExprCode(isNull, value);
  }

  /** Conversions for CAST, with the checks of ANSI mode delegated to {@link Casts}. */
  private static final class CastCodegen {
    static CodeBlock convert(DataType from, DataType to, String v) {
      switch (to) {
        case STRING:
          if (from == DataType.BINARY) {
            return CodeBlock.of("$T.binaryToString($L)", Casts.class, v);
          }
          if (from == DataType.TIMESTAMP) {
            return CodeBlock.of("$T.timestampToString($L)", Casts.class, v);
          }
          if (from == DataType.INTERVAL) {
            return CodeBlock.of("$T.intervalToString($L)", Casts.class, v);
          }
          return CodeBlock.of("String.valueOf($L)", v);
        case BOOLEAN:
          return from == DataType.STRING ? CodeBlock.of("$T.toBoolean($L)", Casts.class, v)
              : CodeBlock.of("$L != 0", v);
        case INT:
          return toInt(from, v);
        case LONG:
          return toLong(from, v);
        case DOUBLE:
          return toDouble(from, v);
        case TIMESTAMP:
          return toTimestamp(from, v);
        case BINARY:
          return toBinary(from, v);
        default:
          throw new SluiceException(ErrorKind.CODEGEN, "no cast from " + from + " to " + to);
      }
    }

    private static CodeBlock toBinary(DataType from, String v) {
      switch (from) {
        case STRING:
          return CodeBlock.of("$T.stringToBinary($L)", Casts.class, v);
        case INT:
          return CodeBlock.of("$T.intToBinary($L)", Casts.class, v);
        case LONG:
          return CodeBlock.of("$T.longToBinary($L)", Casts.class, v);
        default:
          throw new SluiceException(ErrorKind.CODEGEN, "no cast from " + from + " to BINARY");
      }
    }

    private static CodeBlock toInt(DataType from, String v) {
      switch (from) {
        case STRING:
          return CodeBlock.of("$T.toInt($L)", Casts.class, v);
        case BOOLEAN:
          return CodeBlock.of("($L ? 1 : 0)", v);
        case TIMESTAMP:
          return CodeBlock.of("$T.toInt($T.timestampToSeconds($L))", Casts.class, Casts.class, v);
        default:
          return CodeBlock.of("$T.toInt($L)", Casts.class, v);
      }
    }

    private static CodeBlock toLong(DataType from, String v) {
      switch (from) {
        case STRING:
          return CodeBlock.of("$T.toLong($L)", Casts.class, v);
        case BOOLEAN:
          return CodeBlock.of("($L ? 1L : 0L)", v);
        case INT:
          return CodeBlock.of("(long) $L", v);
        case TIMESTAMP:
          return CodeBlock.of("$T.timestampToSeconds($L)", Casts.class, v);
        default:
          return CodeBlock.of("$T.toLong($L)", Casts.class, v);
      }
    }

    private static CodeBlock toDouble(DataType from, String v) {
      switch (from) {
        case STRING:
          return CodeBlock.of("$T.toDouble($L)", Casts.class, v);
        case BOOLEAN:
          return CodeBlock.of("($L ? 1.0 : 0.0)", v);
        case TIMESTAMP:
          return CodeBlock.of("$L / 1000.0", v);
        default:
          return CodeBlock.of("(double) $L", v);
      }
    }

    private static CodeBlock toTimestamp(DataType from, String v) {
      switch (from) {
        case STRING:
          return CodeBlock.of("$T.toTimestamp($L)", Casts.class, v);
        case DOUBLE:
          return CodeBlock.of("$T.secondsToTimestamp($L)", Casts.class, v);
        default:
          return CodeBlock.of("$T.secondsToTimestamp($L)", Casts.class, v);
      }
    }
  }
}
