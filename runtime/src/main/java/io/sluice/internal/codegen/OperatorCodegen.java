package io.sluice.internal.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.sluice.api.DataType;
import io.sluice.api.FlatMapFunction;
import io.sluice.api.MapFunction;
import io.sluice.api.Row;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.RecordType;
import io.sluice.internal.batch.RecordErrors;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.NamedExpression;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Emits the row-level code of the stateless operators: filter, project, map and flatMap. Each
 * takes the current row's column expressions and returns the next operator's.
 */
final class OperatorCodegen {
  private final CodeBlock.Builder code;
  private final ExpressionCodegen expressions;
  private final ConstantPool constants;
  private final LocalNames names;
  private int openLoops;
  /** The {@code withWatermark} operators emitted so far: the next one's index in BatchEventTime. */
  private int watermarks;
  /** Stands for a column nothing reads; code that did read it would not compile. */
  private static final ExprCode UNUSED = new ExprCode("unusedColumn", "unusedColumn");

  OperatorCodegen(CodeBlock.Builder code, ExpressionCodegen expressions, ConstantPool constants,
      LocalNames names, int firstWatermark) {
    this.watermarks = firstWatermark;
    this.code = code;
    this.expressions = expressions;
    this.constants = constants;
    this.names = names;
  }

  /** Emits {@code operators} in order (source side first); returns the last one's columns. */
  List<ExprCode> run(List<LogicalPlan> operators, List<ExprCode> scope) {
    return run(operators, scope, null);
  }

  /**
   * Same, computing only the columns in {@code needed} of the last operator's output when it is a
   * projection (null: all of them): an aggregation reads only its keys and arguments.
   */
  List<ExprCode> run(List<LogicalPlan> operators, List<ExprCode> scope,
      @Nullable Set<Integer> needed) {
    List<ExprCode> current = scope;
    for (int i = 0; i < operators.size(); i++) {
      LogicalPlan op = operators.get(i);
      boolean last = i == operators.size() - 1;
      current = last && needed != null && op instanceof LogicalPlan.Project p
          ? project(p, current, needed)
          : emit(op, current);
    }
    return current;
  }

  private List<ExprCode> project(LogicalPlan.Project p, List<ExprCode> scope,
      Set<Integer> needed) {
    List<ExprCode> next = new ArrayList<>();
    for (int j = 0; j < p.columns().size(); j++) {
      next.add(needed.contains(j) ? expressions.emit(p.columns().get(j).expression(), scope)
          : UNUSED);
    }
    return next;
  }

  /** Closes the loops flatMap opened; call after the stage's per-row end has been emitted. */
  void closeLoops() {
    for (; openLoops > 0; openLoops--) {
      code.endControlFlow();
    }
  }

  private List<ExprCode> emit(LogicalPlan op, List<ExprCode> scope) {
    if (op instanceof LogicalPlan.Filter f) {
      ExprCode condition = expressions.emit(f.condition(), scope);
      if (condition.canBeNull()) {
        code.beginControlFlow("if ($L || !$L)", condition.isNull(), condition.value());
      } else {
        code.beginControlFlow("if (!$L)", condition.value());
      }
      code.addStatement("continue");
      code.endControlFlow();
      return scope;
    } else if (op instanceof LogicalPlan.Project p) {
      List<ExprCode> next = new ArrayList<>();
      for (NamedExpression column : p.columns()) {
        next.add(expressions.emit(column.expression(), scope));
      }
      return next;
    } else if (op instanceof LogicalPlan.MapRecords m) {
      return map(m, scope);
    } else if (op instanceof LogicalPlan.Watermark w) {
      ExprCode time = scope.get(w.column());
      // A null event time counts as 0 (1970), as in Spark, whose statistics read a null as 0.
      code.addStatement("time.observe($L, $L)", watermarks++, time.canBeNull()
          ? time.isNull() + " ? 0L : " + time.value() : time.value());
      return scope;
    }
    throw new IllegalStateException("not a stateless operator: " + op.getClass().getSimpleName());
  }

  private List<ExprCode> map(LogicalPlan.MapRecords m, List<ExprCode> scope) {
    String input = buildInput(m, scope);
    String result = names.local("result");
    if (m.flat()) {
      String fn = constants.add(m.function(), ClassName.get(FlatMapFunction.class));
      String results = names.local("results");
      code.addStatement("$T $L = $L.call($L).iterator()", Iterator.class, results, fn, input);
      // The rest of the stage runs inside this loop, once per returned record.
      code.beginControlFlow("while ($L.hasNext())", results);
      openLoops++;
      code.addStatement("Object $L = $L.next()", result, results);
    } else {
      String fn = constants.add(m.function(), ClassName.get(MapFunction.class));
      code.addStatement("Object $L = $L.call($L)", result, fn, input);
    }
    String fnName = constants.add(m.flat() ? "flatMap function" : "map function",
        ClassName.get(String.class));
    code.beginControlFlow("if ($L == null)", result);
    code.addStatement("throw $T.nullResult($L)", RecordErrors.class, fnName);
    code.endControlFlow();
    return readRecord(m.output(), result);
  }

  /** Builds the record (or Row) the user function takes from the current columns. */
  private String buildInput(LogicalPlan.MapRecords m, List<ExprCode> scope) {
    String local = names.local("record");
    Schema schema = m.children().get(0).schema();
    List<String> args = new ArrayList<>();
    for (int j = 0; j < schema.size(); j++) {
      TypeName javaType = m.input() == null ? boxOf(schema.field(j).type()) : m.input().javaType(j);
      args.add(toJava(scope.get(j), javaType, m.input(), j));
    }
    if (m.input() == null) {
      String rowSchema = constants.add(schema, ClassName.get(Schema.class));
      code.addStatement("$T $L = new $T($L, new Object[] {$L})", Row.class, local, Row.class,
          rowSchema, String.join(", ", args));
    } else {
      TypeName type = m.input().className();
      code.addStatement("$T $L = new $T($L)", type, local, type, String.join(", ", args));
    }
    return local;
  }

  /** A column value as the Java type a record component (or a Row's boxed value) expects. */
  private String toJava(ExprCode c, TypeName javaType, @Nullable RecordType input, int j) {
    if (javaType.isPrimitive() && input != null) {
      if (c.canBeNull()) {
        String type = constants.add(input.className().simpleName(), ClassName.get(String.class));
        String component = constants.add(input.schema().field(j).name(),
            ClassName.get(String.class));
        code.beginControlFlow("if ($L)", c.isNull());
        code.addStatement("throw $T.nullForPrimitive($L, $L)", RecordErrors.class, type,
            component);
        code.endControlFlow();
      }
      return c.value();
    }
    String boxed;
    if (javaType.equals(INSTANT)) {
      boxed = CodeBlock.of("$T.ofEpochMilli($L)", Instant.class, c.value()).toString();
    } else if (javaType.equals(STRING)) {
      return c.value();
    } else {
      boxed = CodeBlock.of("$T.valueOf($L)", javaType, c.value()).toString();
    }
    return c.canBeNull() ? "(" + c.isNull() + " ? null : " + boxed + ")" : boxed;
  }

  /** Reads every component of the record in {@code result} into column expressions. */
  private List<ExprCode> readRecord(RecordType output, String result) {
    TypeName type = output.className();
    String record = names.local("out");
    code.addStatement("$T $L = ($T) $L", type, record, type, result);
    List<ExprCode> columns = new ArrayList<>();
    for (int j = 0; j < output.schema().size(); j++) {
      TypeName javaType = output.javaType(j);
      String accessor = output.accessor(j);
      String value = names.local(output.schema().field(j).name());
      TypeName columnType = ExpressionCodegen.javaType(output.schema().field(j).type());
      if (javaType.isPrimitive()) {
        code.addStatement("$T $L = $L.$L()", columnType, value, record, accessor);
        columns.add(ExprCode.nonNull(value));
        continue;
      }
      String boxed = names.local("boxed");
      String isNull = names.local("isNull");
      code.addStatement("$T $L = $L.$L()", javaType, boxed, record, accessor);
      code.addStatement("boolean $L = $L == null", isNull, boxed);
      code.addStatement("$T $L = $L ? $L : $L", columnType, value, isNull,
          ExpressionCodegen.defaultValue(output.schema().field(j).type()), unbox(javaType, boxed));
      columns.add(new ExprCode(isNull, value));
    }
    return columns;
  }

  private static final TypeName INSTANT = ClassName.get(Instant.class);
  private static final TypeName STRING = ClassName.get(String.class);

  /** The boxed Java type a Row holds for values of {@code type}. */
  private static TypeName boxOf(DataType type) {
    switch (type) {
      case STRING:
        return STRING;
      case BOOLEAN:
        return TypeName.BOOLEAN.box();
      case INT:
        return TypeName.INT.box();
      case DOUBLE:
        return TypeName.DOUBLE.box();
      default:
        return TypeName.LONG.box();
    }
  }

  private static String unbox(TypeName javaType, String boxed) {
    if (javaType.equals(INSTANT)) {
      return boxed + ".toEpochMilli()";
    } else if (javaType.equals(STRING)) {
      return boxed;
    }
    return boxed + "." + javaType.unbox() + "Value()";
  }
}
