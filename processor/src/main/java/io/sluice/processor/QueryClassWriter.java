package io.sluice.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.sluice.api.Dataset;
import io.sluice.api.ErrorKind;
import io.sluice.api.Row;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.Analyzer;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.analysis.ScalarFunction;
import io.sluice.internal.codegen.QueryNaming;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.codegen.StageSources;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Position;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.NamedExpression;
import io.sluice.internal.plan.QuerySpec;
import io.sluice.internal.plan.QuerySpecPlanner;
import io.sluice.internal.plan.StagePlanner;
import io.sluice.internal.plan.SourceProvider;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Generated;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * Compiles one {@code @StreamQuery} class at build time: plans it with the engine's planner,
 * writes the engine's generated stage classes (with their source digest) and a small factory,
 * {@code <Query>_Query.over(input)}.
 */
final class QueryClassWriter {
  static final String STREAM_QUERY = "io.sluice.annotations.StreamQuery";

  private final Elements elements;
  private final Types types;
  private final Filer filer;
  private final Reporter reporter;
  private final SqlFunctionReader functions;

  QueryClassWriter(Elements elements, Types types, Filer filer, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.filer = filer;
    this.reporter = reporter;
    this.functions = new SqlFunctionReader(elements, types, reporter);
  }

  /**
   * Writes the query's classes; reports problems on the annotation instead of throwing. A type
   * that javac does not know yet is a {@link MissingTypeException}: the caller tries again later.
   */
  void write(TypeElement queryClass) throws IOException {
    QueryAnnotation query = QueryAnnotation.find(queryClass, STREAM_QUERY, elements);
    if (query == null || !referable(queryClass, query)) {
      return;
    }
    TypeMirror fromType = query.type("from");
    TypeMirror intoType = query.type("into");
    ElementRecordType input = recordType(queryClass, query, "from", fromType);
    List<ScalarFunction> declared = functions.read(queryClass);
    if (input == null || declared == null) {
      return;
    }
    LogicalPlan planned;
    try {
      planned = QuerySpecPlanner.plan(spec(queryClass, query, input, declared),
          scan(input.schema()));
    } catch (QuerySpecPlanner.ClauseError e) {
      reporter.error(queryClass, query, e.clause().member(), e.clause().index(), e.getMessage());
      return;
    } catch (SluiceException e) {
      reporter.error(queryClass, query, null, 0, e.getMessage());
      return;
    }
    ElementRecordType into = recordType(queryClass, query, "into", intoType);
    @Nullable LogicalPlan output = intoType == null ? planned
        : into == null ? null : readInto(queryClass, query, into, planned);
    if (output == null) {
      return;
    }
    List<GeneratedStage> stages;
    try {
      stages = StageSources.generate(StagePlanner.plan(output),
          QueryNaming.forQueryClass(ClassName.get(queryClass)));
    } catch (SluiceException e) {
      reporter.error(queryClass, query, null, 0, e.getMessage());
      return;
    }
    for (GeneratedStage stage : stages) {
      writeFile(stage.withDigest(), queryClass);
    }
    writeFile(factory(queryClass, input, into), queryClass);
  }

  /** Generated classes name the query class: not private, nor nested in a private class. */
  private boolean referable(TypeElement queryClass, QueryAnnotation query) {
    for (Element e = queryClass; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.error(queryClass, query, null, 0, new SluiceException(
            ErrorKind.UNSUPPORTED_OPERATION, "@StreamQuery class " + queryClass.getQualifiedName()
                + " must not be private, nor nested in a private class: the classes generated for"
                + " it refer to it").getMessage());
        return false;
      }
    }
    return true;
  }

  /** Writes {@code file} as it prints, so that its text is exactly what the engine generates. */
  private void writeFile(JavaFile file, TypeElement origin) throws IOException {
    String name = file.packageName().isEmpty() ? file.typeSpec().name()
        : file.packageName() + "." + file.typeSpec().name();
    try (Writer out = filer.createSourceFile(name, origin).openWriter()) {
      out.write(file.toString());
    }
  }

  /** The annotation's clauses, as {@code AnnotatedQueries} reads them by reflection. */
  private static QuerySpec spec(TypeElement queryClass, QueryAnnotation query,
      ElementRecordType from, List<ScalarFunction> functions) {
    String name = query.string("name").isEmpty() ? queryClass.getSimpleName().toString()
        : query.string("name");
    QueryAnnotation w = query.nested("watermark");
    String column = w == null ? "" : w.string("column");
    String delay = w == null ? "" : w.string("delay");
    QuerySpec.Watermark watermark = column.isEmpty() && delay.isEmpty() ? null
        : new QuerySpec.Watermark(column, delay,
            column.isEmpty() ? from.markedEventTime() : List.of());
    return new QuerySpec(name, watermark, query.string("where"), query.strings("dropDuplicates"),
        query.strings("dropDuplicatesWithinWatermark"), query.strings("groupBy"),
        query.strings("select"), query.string("having"), functions);
  }

  private @Nullable ElementRecordType recordType(TypeElement queryClass, QueryAnnotation query,
      String member, @Nullable TypeMirror type) {
    if (type == null) {
      return null;
    }
    try {
      return ElementRecordType.of(type, types);
    } catch (SluiceException e) {
      reporter.error(queryClass, query, member, 0, e.getMessage());
      return null;
    }
  }

  /**
   * The query's rows read into {@code into}, planned exactly as {@code Dataset.query(q, into)}
   * plans them at run time ({@code Dataset.as}: one column per component, by name, cast where the
   * types differ), so that the stages match the engine's even when the record reorders or widens
   * columns; null after reporting the first component that is not an output column.
   */
  private @Nullable LogicalPlan readInto(TypeElement queryClass, QueryAnnotation query,
      ElementRecordType into, LogicalPlan planned) {
    Schema output = planned.schema();
    List<NamedExpression> columns = new ArrayList<>();
    for (io.sluice.api.Field f : into.schema().fields()) {
      try {
        Expr column = new Expr.ColumnRef(f.name(), Position.NONE);
        Bound bound = Analyzer.bind(column, output, null, false);
        if (bound.type() != f.type()) {
          bound = Analyzer.bind(new Expr.Cast(column, f.type(), Position.NONE), output, null,
              false);
        }
        columns.add(new NamedExpression(f.name(), bound));
      } catch (SluiceException e) {
        reporter.error(queryClass, query, "into", 0, e.getMessage());
        return null;
      }
    }
    return new LogicalPlan.Project(planned, columns);
  }

  /** {@code PageViews_Query.over(clicks)}: the query over a dataset of its input type. */
  private static JavaFile factory(TypeElement queryClass, ElementRecordType input,
      @Nullable ElementRecordType into) {
    ClassName query = ClassName.get(queryClass);
    TypeName rows = into == null ? ClassName.get(Row.class) : into.className();
    TypeName result = ParameterizedTypeName.get(ClassName.get(Dataset.class), rows);
    MethodSpec.Builder over = MethodSpec.methodBuilder("over")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("The query {@link $T} declares, over {@code input}.\n", query)
        .returns(result)
        .addParameter(ParameterizedTypeName.get(ClassName.get(Dataset.class),
            input.className()), "input");
    if (into == null) {
      over.addStatement("return input.query($T.class)", query);
    } else {
      over.addStatement("return input.query($T.class, $T.class)", query, into.className());
    }
    String simple = String.join("_", query.simpleNames()) + "_Query";
    TypeSpec type = TypeSpec.classBuilder(simple)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(Generated.class)
            .addMember("value", "$S", SluiceProcessor.class.getName()).build())
        .addJavadoc("Runs {@link $T}; generated by Sluice, do not edit.\n", query)
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(over.build())
        .build();
    return JavaFile.builder(query.packageName(), type)
        .addFileComment("Generated by Sluice; source: query class $L", query.canonicalName())
        .skipJavaLangImports(true)
        .build();
  }

  /** The query's input as the planner sees it at build time: only its schema matters. */
  private static LogicalPlan scan(Schema schema) {
    return new LogicalPlan.Scan(SourceProvider.of(schema, true, "input", clock -> {
      throw new UnsupportedOperationException("build time");
    }), "input");
  }
}
