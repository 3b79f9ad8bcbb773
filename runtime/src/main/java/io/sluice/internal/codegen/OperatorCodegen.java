package io.sluice.internal.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import io.sluice.api.DataType;
import io.sluice.api.FlatMapFunction;
import io.sluice.api.MapFunction;
import io.sluice.api.Row;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.RecordType;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.batch.RecordErrors;
import io.sluice.internal.batch.StaticTable;
import io.sluice.internal.plan.JoinType;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.NamedExpression;
import io.sluice.internal.plan.StaticSide;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;
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
  /** The stage's fields, for what an operator keeps from row to row. */
  private final List<FieldSpec> fields;
  /** Code that runs once per chunk, before the loop over its rows. */
  private final CodeBlock.Builder beforeLoop;
  /** The {@code withWatermark} operators emitted so far: the next one's index in BatchEventTime. */
  private int watermarks;
  /** Stands for a column nothing reads; code that did read it would not compile. */
  private static final ExprCode UNUSED = new ExprCode("unusedColumn", "unusedColumn");

  OperatorCodegen(CodeBlock.Builder code, ExpressionCodegen expressions, ConstantPool constants,
      LocalNames names, int firstWatermark, List<FieldSpec> fields, CodeBlock.Builder beforeLoop) {
    this.watermarks = firstWatermark;
    this.fields = fields;
    this.beforeLoop = beforeLoop;
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
    } else if (op instanceof LogicalPlan.StaticJoin j) {
      return staticJoin(j, scope);
    } else if (op instanceof LogicalPlan.Alias || op instanceof LogicalPlan.ReloadEvery) {
      return scope;
    } else if (op instanceof LogicalPlan.Watermark w) {
      ExprCode time = scope.get(w.column());
      // A null event time counts as 0 (1970), as in Spark, whose statistics read a null as 0.
      code.addStatement("time.observe($L, $L)", watermarks++, time.canBeNull()
          ? time.isNull() + " ? 0L : " + time.value() : time.value());
      return scope;
    }
    throw new IllegalStateException("not a stateless operator: " + op.getClass().getSimpleName());
  }

  /**
   * Probes the bounded side of a stream-static join with the row's key and runs the rest of the
   * stage once per matching row (for an outer join, once with nulls when none matches), or, for
   * a semi or anti join, once or not at all.
   */
  private List<ExprCode> staticJoin(LogicalPlan.StaticJoin j, List<ExprCode> scope) {
    String side = constants.add(j.side(), ClassName.get(StaticSide.class));
    String table = names.local("table");
    String key = names.local("joinKey");
    // Once per chunk, by the batch's logged time: a due reload happens before the first row.
    beforeLoop.addStatement("$T $L = $L.table(time.processingTime)", StaticTable.class, table,
        side);
    String hits = names.local("hits");
    if (j.leftKeys().size() == 1 && StaticTable.isLongKey(j.leftKeys().get(0).type())) {
      // One long key: a primitive probe, no key bytes.
      ExprCode v = expressions.emit(j.leftKeys().get(0), scope);
      if (v.canBeNull()) {
        code.addStatement("int[] $L = $L ? $T.NO_ROWS : $L.lookupLong($L)", hits, v.isNull(),
            StaticTable.class, table, v.value());
      } else {
        code.addStatement("int[] $L = $L.lookupLong($L)", hits, table, v.value());
      }
      return joinedRows(j, scope, table, hits);
    }
    // One key buffer per join, reset for each row.
    fields.add(FieldSpec.builder(KeyWriter.class, key, Modifier.PRIVATE, Modifier.FINAL)
        .initializer("new $T()", KeyWriter.class).build());
    code.addStatement("$L.reset()", key);
    List<String> nulls = new ArrayList<>();
    for (Bound k : j.leftKeys()) {
      ExprCode v = expressions.emit(k, scope);
      code.addStatement("$L.$L($L, $L)", key, AggregateCodegen.putMethod(k.type()), v.isNull(),
          v.value());
      if (v.canBeNull()) {
        nulls.add(v.isNull());
      }
    }
    // A key with a null part matches nothing, as in SQL.
    if (nulls.isEmpty()) {
      code.addStatement("int[] $L = $L.lookup($L)", hits, table, key);
    } else {
      code.addStatement("int[] $L = $L ? $T.NO_ROWS : $L.lookup($L)", hits,
          String.join(" || ", nulls), StaticTable.class, table, key);
    }
    return joinedRows(j, scope, table, hits);
  }

  /**
   * Runs the rest of the stage over the rows {@code hits} names (after the residual condition),
   * as the join type says.
   */
  private List<ExprCode> joinedRows(LogicalPlan.StaticJoin j, List<ExprCode> scope, String table,
      String hits) {
    Schema right = j.right().schema();
    List<String> vectors = new ArrayList<>();
    for (int c = 0; c < right.size(); c++) {
      TypeName vector = StageCodegen.VectorTypes.of(right.field(c).type());
      String local = names.local("right" + c);
      // The table's columns, like the table, are the same for every row of the chunk.
      beforeLoop.addStatement("$T $L = ($T) $L.column($L)", vector, local, vector, table, c);
      vectors.add(local);
    }
    String matches = hits;
    String count = names.local("matches");
    if (j.residual() == null) {
      code.addStatement("int $L = $L.length", count, hits);
    } else {
      matches = names.local("passing");
      // One buffer per join, grown to the most matches a row has had, not one per row.
      fields.add(FieldSpec.builder(int[].class, matches, Modifier.PRIVATE)
          .initializer("new int[8]").build());
      code.beginControlFlow("if ($L.length < $L.length)", matches, hits)
          .addStatement("$L = new int[$L.length]", matches, hits).endControlFlow();
      code.addStatement("int $L = 0", count);
      String h = names.local("h");
      code.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", h, h, hits, h);
      List<ExprCode> both = new ArrayList<>(scope);
      both.addAll(rightRow(right, vectors, hits + "[" + h + "]", null));
      ExprCode holds = expressions.emit(j.residual(), both);
      code.beginControlFlow("if ($L)", holds.canBeNull()
          ? "!" + holds.isNull() + " && " + holds.value() : holds.value());
      code.addStatement("$L[$L++] = $L[$L]", matches, count, hits, h);
      code.endControlFlow();
      code.endControlFlow();
    }
    switch (j.joinType()) {
      case LEFT_SEMI -> {
        code.beginControlFlow("if ($L == 0)", count).addStatement("continue").endControlFlow();
        return scope;
      }
      case LEFT_ANTI -> {
        code.beginControlFlow("if ($L > 0)", count).addStatement("continue").endControlFlow();
        return scope;
      }
      default -> { }
    }
    boolean outer = j.joinType() == JoinType.LEFT_OUTER;
    String none = names.local("none");
    code.addStatement("boolean $L = $L == 0", none, count);
    String m = names.local("m");
    // The rest of the stage runs inside this loop, once per joined row.
    code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", m, m,
        outer ? "(" + none + " ? 1 : " + count + ")" : count, m);
    openLoops++;
    String r = names.local("r");
    code.addStatement("int $L = $L ? -1 : $L[$L]", r, none, matches, m);
    List<ExprCode> joined = new ArrayList<>(scope);
    joined.addAll(rightRow(right, vectors, r, outer ? none : null));
    return joined;
  }

  /**
   * The columns of row {@code row} of the bounded side; with {@code none}, all null when it is
   * true (an outer join's row without a match).
   */
  private List<ExprCode> rightRow(Schema right, List<String> vectors, String row,
      @Nullable String none) {
    List<ExprCode> columns = new ArrayList<>();
    for (int c = 0; c < right.size(); c++) {
      DataType type = right.field(c).type();
      String vector = vectors.get(c);
      String read = StageCodegen.vectorValue(vector, type, row);
      String isNull = right.field(c).nullable() ? vector + ".nulls[" + row + "]" : "false";
      String value = names.local("joined" + c);
      String valueNull = names.local("joinedNull" + c);
      if (none == null) {
        code.addStatement("boolean $L = $L", valueNull, isNull);
        code.addStatement("$T $L = $L", ExpressionCodegen.javaType(type), value, read);
      } else {
        code.addStatement("boolean $L = $L || $L", valueNull, none, isNull);
        code.addStatement("$T $L = $L ? $L : $L", ExpressionCodegen.javaType(type), value, none,
            ExpressionCodegen.defaultValue(type), read);
      }
      columns.add(new ExprCode(valueNull, value));
    }
    return columns;
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
    } else if (javaType.equals(STRING) || javaType.equals(BYTES)) {
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
  private static final TypeName BYTES = ExpressionCodegen.javaType(DataType.BINARY);

  /** The boxed Java type a Row holds for values of {@code type}. */
  private static TypeName boxOf(DataType type) {
    switch (type) {
      case STRING:
        return STRING;
      case BINARY:
        return BYTES;
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
    } else if (javaType.equals(STRING) || javaType.equals(BYTES)) {
      return boxed;
    }
    return boxed + "." + javaType.unbox() + "Value()";
  }
}
