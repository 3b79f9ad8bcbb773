package io.sluice.internal.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.sluice.api.DataType;
import io.sluice.api.Schema;
import io.sluice.api.TimeWindow;
import io.sluice.internal.batch.AggregationStage;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.ColumnVector;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.batch.PartialAggregation;
import io.sluice.internal.batch.PipelineStage;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.BoundRewriter;
import io.sluice.internal.plan.AggregateSlot;
import io.sluice.internal.plan.AggregationPlan;
import io.sluice.internal.plan.LogicalPlan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Generates the class of one stage: a {@code process} method whose loop runs every operator of the
 * stage on a row before moving to the next row (decode, filter, project, map, then either append to
 * the output or update the row's group).
 *
 * <p>Code is produced operator by operator in a produce/consume style: each operator consumes the
 * current row's column expressions and hands new ones to the next, so no operator boundary costs a
 * call or a copy.
 */
public final class StageCodegen {
  private static final String ROW = "i";
  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");

  private final StageName name;
  private final ConstantPool constants = new ConstantPool();
  private final LocalNames names = new LocalNames();
  private final CodeBlock.Builder body = CodeBlock.builder();
  private final ExpressionCodegen expressions = new ExpressionCodegen(body, constants, names);
  private final List<FieldSpec> stateFields = new ArrayList<>();
  /** Statements an operator runs once per chunk, before the row loop. */
  private final CodeBlock.Builder beforeLoop = CodeBlock.builder();

  private StageCodegen(StageName name) {
    this.name = name;
  }

  /**
   * A generated source file and the constants its constructor takes.
   *
   * <p>{@link #digest()} identifies the source text. The annotation processor writes {@link
   * #withDigest()}, the same class plus a {@code SOURCE_DIGEST} constant, so that the engine can
   * tell whether a class compiled at build time is exactly the one it would generate now.
   */
  public record GeneratedStage(JavaFile file, Object[] constants, StageName name) {
    /** The name of the constant that holds the digest in classes compiled at build time. */
    public static final String DIGEST_FIELD = "SOURCE_DIGEST";

    public String className() {
      return file.packageName().isEmpty() ? file.typeSpec().name()
          : file.packageName() + "." + file.typeSpec().name();
    }

    public String source() {
      return file.toString();
    }

    /** A SHA-256 of the source text, in hex. */
    public String digest() {
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256")
            .digest(source().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
    }

    /** The file with a {@code public static final String SOURCE_DIGEST} of the plain source. */
    public JavaFile withDigest() {
      TypeSpec type = file.typeSpec().toBuilder()
          .addField(FieldSpec.builder(String.class, DIGEST_FIELD, Modifier.PUBLIC,
              Modifier.STATIC, Modifier.FINAL).initializer("$S", digest()).build())
          .build();
      return javaFile(name, type);
    }
  }

  /** A stateless stage: runs {@code operators} over {@code input} and appends to the output. */
  public static GeneratedStage pipeline(StageName name, Schema input,
      List<LogicalPlan> operators) {
    return pipeline(name, input, operators, 0);
  }

  /**
   * Same; the stage's first {@code withWatermark} is the query's {@code firstWatermark}-th, for
   * where it records event times.
   */
  public static GeneratedStage pipeline(StageName name, Schema input,
      List<LogicalPlan> operators, int firstWatermark) {
    StageCodegen gen = new StageCodegen(name);
    List<ExprCode> scope = gen.readInput(input);
    OperatorCodegen ops = gen.operators(firstWatermark);
    Schema output = operators.isEmpty() ? input : last(operators).schema();
    MethodSpec process = gen.process(PipelineStage.class, input, output, () -> {
      List<ExprCode> out = ops.run(operators, scope);
      gen.appendOutput(output, out);
      ops.closeLoops();
    }, "out");
    return gen.finish(PipelineStage.class, process);
  }

  /** An aggregating stage: runs {@code operators}, then updates the row's group. */
  public static GeneratedStage aggregation(StageName name, Schema input,
      List<LogicalPlan> operators, AggregationPlan aggregation, int firstWatermark) {
    StageCodegen gen = new StageCodegen(name);
    List<ExprCode> scope = gen.readInput(input);
    OperatorCodegen ops = gen.operators(firstWatermark);
    AggregateCodegen update = new AggregateCodegen(gen.body, gen.expressions, gen.names);
    gen.stateFields.add(FieldSpec.builder(KeyWriter.class, "key", Modifier.PRIVATE, Modifier.FINAL)
        .initializer("new $T()", KeyWriter.class).build());
    if (aggregation.hasDistinct()) {
      gen.stateFields.add(FieldSpec.builder(KeyWriter.class, "distinctKey", Modifier.PRIVATE,
          Modifier.FINAL).initializer("new $T()", KeyWriter.class).build());
    }
    MethodSpec process = gen.process(AggregationStage.class, input, null, () -> {
      List<ExprCode> out = ops.run(operators, scope, columnsRead(aggregation));
      update.emit(aggregation, out);
      ops.closeLoops();
    }, "groups", "distinct");
    return gen.finish(AggregationStage.class, process);
  }

  /** The input columns an aggregation reads: its keys' and its aggregates' columns. */
  private static Set<Integer> columnsRead(AggregationPlan aggregation) {
    Set<Integer> read = new HashSet<>();
    List<Bound> used = new ArrayList<>(aggregation.groupings());
    aggregation.aggregates().stream().map(AggregateSlot::argument).filter(Objects::nonNull)
        .forEach(used::add);
    for (Bound e : used) {
      BoundRewriter.rewrite(e, node -> {
        if (node instanceof Bound.Column c) {
          read.add(c.ordinal());
        }
        return null;
      });
    }
    return read;
  }

  private OperatorCodegen operators(int firstWatermark) {
    return new OperatorCodegen(body, expressions, constants, names, firstWatermark, stateFields,
        beforeLoop);
  }

  private static LogicalPlan last(List<LogicalPlan> operators) {
    return operators.get(operators.size() - 1);
  }

  /** Column {@code j} of the input row {@code i}, read straight from its vector. */
  private List<ExprCode> readInput(Schema input) {
    List<ExprCode> scope = new ArrayList<>();
    for (int j = 0; j < input.size(); j++) {
      DataType type = input.field(j).type();
      String vector = "in" + j;
      if (type == DataType.NULL) {
        scope.add(new ExprCode("true", "null"));
        continue;
      }
      String isNull = input.field(j).nullable() ? vector + ".nulls[" + ROW + "]" : "false";
      scope.add(new ExprCode(isNull, vectorValue(vector, type, ROW)));
    }
    return scope;
  }

  /** Reads row {@code row} of the typed vector {@code vector}, cast where it holds objects. */
  static String vectorValue(String vector, DataType type, String row) {
    String read = vector + ".values[" + row + "]";
    switch (type) {
      case STRING:
        return "((String) " + read + ")";
      case BINARY:
        return "((byte[]) " + read + ")";
      case WINDOW:
        return "((" + TimeWindow.class.getName() + ") " + read + ")";
      default:
        return read;
    }
  }

  private MethodSpec process(Class<?> stage, Schema input, @Nullable Schema output,
      Runnable loopBody, String... outputs) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("process")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addException(Exception.class)
        .addParameter(ColumnBatch.class, "in");
    if (stage == PipelineStage.class) {
      m.addParameter(ColumnBatch.class, outputs[0]);
    } else {
      m.addParameter(PartialAggregation.class, outputs[0]);
      m.addParameter(PartialAggregation.class, outputs[1]);
    }
    m.addParameter(BatchEventTime.class, "time");
    for (int j = 0; j < input.size(); j++) {
      TypeName vector = VectorTypes.of(input.field(j).type());
      m.addStatement("$T in$L = ($T) in.column($L)", vector, j, vector, j);
    }
    for (int j = 0; output != null && j < output.size(); j++) {
      TypeName vector = VectorTypes.of(output.field(j).type());
      m.addStatement("$T out$L = ($T) out.column($L)", vector, j, vector, j);
    }
    body.addStatement("int rows = in.size()");
    body.beginControlFlow("for (int $L = 0; $L < rows; $L++)", ROW, ROW, ROW);
    loopBody.run();
    body.endControlFlow();
    return m.addCode(beforeLoop.build()).addCode(body.build()).build();
  }

  private void appendOutput(Schema schema, List<ExprCode> row) {
    for (int j = 0; j < schema.size(); j++) {
      ExprCode c = row.get(j);
      if (c.canBeNull()) {
        body.beginControlFlow("if ($L)", c.isNull());
        body.addStatement("out$L.appendNull()", j);
        body.nextControlFlow("else");
        body.addStatement("out$L.append($L)", j, c.value());
        body.endControlFlow();
      } else {
        body.addStatement("out$L.append($L)", j, c.value());
      }
    }
  }

  private GeneratedStage finish(Class<?> stage, MethodSpec process) {
    TypeSpec.Builder type = TypeSpec.classBuilder(name.simpleName())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(stage)
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", StageCodegen.class.getName()).build())
        .addJavadoc("Generated by Sluice from $L; do not edit.\n", name.origin());
    constants.addTo(type);
    stateFields.forEach(type::addField);
    type.addMethod(process);
    return new GeneratedStage(javaFile(name, type.build()), constants.values(), name);
  }

  private static JavaFile javaFile(StageName name, TypeSpec type) {
    return JavaFile.builder(name.packageName(), type)
        .addFileComment("Generated by Sluice; source: $L", name.origin())
        .skipJavaLangImports(true)
        .build();
  }

  /** The vector class that holds each SQL type: the one {@link ColumnVector#forType} makes. */
  static final class VectorTypes {
    private VectorTypes() {}

    static TypeName of(DataType type) {
      return ClassName.get(ColumnVector.forType(type, 0).getClass());
    }
  }
}
