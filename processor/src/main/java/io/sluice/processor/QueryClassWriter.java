package io.sluice.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.sluice.api.Dataset;
import io.sluice.api.Row;
import io.sluice.api.Schema;
import io.sluice.internal.analysis.Analyzer;
import io.sluice.internal.analysis.UserFunctions;
import io.sluice.internal.codegen.QueryNaming;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.codegen.StageSources;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.Position;
import io.sluice.internal.plan.LogicalPlan;
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
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import org.jspecify.annotations.Nullable;

/**
 * Compiles one {@code @StreamQuery} class at build time: plans it with the engine's planner,
 * writes the engine's generated stage classes (with their source digest) and a small factory,
 * {@code <Query>_Query.over(input)}.
 */
final class QueryClassWriter {
  static final String STREAM_QUERY = "io.sluice.annotations.StreamQuery";
  static final String SQL_FUNCTION = "io.sluice.annotations.SqlFunction";

  private final Elements elements;
  private final Filer filer;
  private final Reporter reporter;

  QueryClassWriter(Elements elements, Filer filer, Reporter reporter) {
    this.elements = elements;
    this.filer = filer;
    this.reporter = reporter;
  }

  /** Writes the query's classes; reports problems on the annotation instead of throwing. */
  void write(TypeElement queryClass) throws IOException {
    QueryAnnotation query = QueryAnnotation.find(queryClass, STREAM_QUERY, elements);
    TypeMirror from = query.type("from");
    ElementRecordType input = recordType(queryClass, query, "from", from);
    if (input == null) {
      return;
    }
    QuerySpec spec;
    LogicalPlan planned;
    List<GeneratedStage> stages;
    try {
      spec = spec(queryClass, query);
      planned = QuerySpecPlanner.plan(spec, scan(input.schema()));
      stages = StageSources.generate(StagePlanner.plan(planned),
          QueryNaming.forQueryClass(ClassName.get(queryClass)));
    } catch (QuerySpecPlanner.ClauseError e) {
      reporter.error(queryClass, query, e.clause().member(), e.clause().index(), e.getMessage());
      return;
    } catch (io.sluice.api.SluiceException e) {
      reporter.error(queryClass, query, null, 0, e.getMessage());
      return;
    }
    ElementRecordType into = recordType(queryClass, query, "into", query.type("into"));
    if (query.type("into") != null && (into == null || !fits(queryClass, query, into,
        planned.schema()))) {
      return;
    }
    for (GeneratedStage stage : stages) {
      writeFile(stage.withDigest(), queryClass);
    }
    writeFile(factory(queryClass, input, into), queryClass);
  }

  /** Writes {@code file} as it prints, so that its text is exactly what the engine generates. */
  private void writeFile(JavaFile file, TypeElement origin) throws IOException {
    String name = file.packageName().isEmpty() ? file.typeSpec().name()
        : file.packageName() + "." + file.typeSpec().name();
    try (Writer out = filer.createSourceFile(name, origin).openWriter()) {
      out.write(file.toString());
    }
  }

  private QuerySpec spec(TypeElement queryClass, QueryAnnotation query) {
    String name = query.string("name").isEmpty() ? queryClass.getSimpleName().toString()
        : query.string("name");
    return new QuerySpec(name, query.string("where"), query.strings("groupBy"),
        query.strings("select"), query.string("having"), UserFunctions.of(functions(queryClass)));
  }

  private List<UserFunctions.Declared> functions(TypeElement queryClass) {
    List<UserFunctions.Declared> declared = new ArrayList<>();
    for (Element e : queryClass.getEnclosedElements()) {
      QueryAnnotation f = QueryAnnotation.find(e, SQL_FUNCTION, elements);
      if (f == null || e.getKind() != ElementKind.METHOD) {
        continue;
      }
      ExecutableElement m = (ExecutableElement) e;
      if (!m.getModifiers().contains(Modifier.STATIC)
          || !m.getModifiers().contains(Modifier.PUBLIC)) {
        throw new io.sluice.api.SluiceException(io.sluice.api.ErrorKind.UNSUPPORTED_OPERATION,
            "@SqlFunction " + queryClass.getSimpleName() + "." + m.getSimpleName()
                + " must be public and static");
      }
      List<TypeName> parameters = new ArrayList<>();
      for (VariableElement p : m.getParameters()) {
        parameters.add(TypeName.get(p.asType()).withoutAnnotations());
      }
      String sqlName = f.string("name").isEmpty() ? m.getSimpleName().toString() : f.string("name");
      declared.add(new UserFunctions.Declared(sqlName, ClassName.get(queryClass),
          m.getSimpleName().toString(), parameters,
          TypeName.get(m.getReturnType()).withoutAnnotations()));
    }
    return declared;
  }

  private @Nullable ElementRecordType recordType(TypeElement queryClass, QueryAnnotation query,
      String member, @Nullable TypeMirror type) {
    if (type == null) {
      return null;
    }
    try {
      return ElementRecordType.of((TypeElement) ((DeclaredType) type).asElement());
    } catch (io.sluice.api.SluiceException e) {
      reporter.error(queryClass, query, member, 0, e.getMessage());
      return null;
    }
  }

  /** Whether every component of {@code into} is an output column; reports the first that is not. */
  private boolean fits(TypeElement queryClass, QueryAnnotation query, ElementRecordType into,
      Schema output) {
    for (io.sluice.api.Field f : into.schema().fields()) {
      try {
        Expr column = new Expr.ColumnRef(f.name(), Position.NONE);
        if (Analyzer.bind(column, output, null, false).type() != f.type()) {
          Analyzer.bind(new Expr.Cast(column, f.type(), Position.NONE), output, null, false);
        }
      } catch (io.sluice.api.SluiceException e) {
        reporter.error(queryClass, query, "into", 0, e.getMessage());
        return false;
      }
    }
    return true;
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
    return new LogicalPlan.Scan(new SourceProvider() {
      @Override
      public Schema schema() {
        return schema;
      }

      @Override
      public boolean streaming() {
        return true;
      }

      @Override
      public io.sluice.internal.connector.Source create(io.sluice.api.Clock clock) {
        throw new UnsupportedOperationException("build time");
      }
    }, "input");
  }
}
