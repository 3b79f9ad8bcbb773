package io.sluice.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.sluice.api.StatefulProcessor;
import io.sluice.api.StatefulProcessorHandle;
import io.sluice.api.TTLConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Generated;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * Writes the implementation of a {@code @StateVariables} interface: {@code CardState_Variables},
 * whose {@code declare(handle)} declares each variable once through a {@link
 * StatefulProcessorHandle} and whose methods return them. Every mistake in the interface is
 * reported, on the interface or the method concerned, and then nothing is written.
 */
final class StateVariablesWriter {
  static final String STATE_VARIABLES = "io.sluice.annotations.StateVariables";
  private static final String HANDLE = "handle";

  /** A {@link Duration} factory, the milliseconds of its unit and the unit's name. */
  private record DurationUnit(String factory, long millis, String unit) {
    /** The unit of a TTL: the largest that divides it, so that it reads as it was written. */
    static DurationUnit of(long millis) {
      return DURATION_UNITS.stream().filter(u -> millis % u.millis() == 0).findFirst()
          .orElseThrow();
    }

    /** {@code 10 minutes}, {@code 1 hour}. */
    String text(long millis) {
      long count = millis / this.millis;
      return count + " " + unit + (count == 1 ? "" : "s");
    }
  }

  private static final List<DurationUnit> DURATION_UNITS = List.of(
      new DurationUnit("ofDays", 86_400_000L, "day"),
      new DurationUnit("ofHours", 3_600_000L, "hour"),
      new DurationUnit("ofMinutes", 60_000L, "minute"),
      new DurationUnit("ofSeconds", 1_000L, "second"),
      new DurationUnit("ofMillis", 1L, "millisecond"));

  private final Elements elements;
  private final Filer filer;
  private final Reporter reporter;
  private final StateVariableReader reader;

  StateVariablesWriter(Elements elements, Types types, Filer filer, Reporter reporter) {
    this.elements = elements;
    this.filer = filer;
    this.reporter = reporter;
    this.reader = new StateVariableReader(elements, types, reporter);
  }

  /** Writes the class for {@code type}, unless a mistake in it was reported. */
  void write(TypeElement type) throws IOException {
    QueryAnnotation annotation = QueryAnnotation.find(type, STATE_VARIABLES, elements);
    String problem = structuralProblem(type);
    if (problem != null) {
      reporter.error(type, annotation, null, 0,
          StateVariableReader.unsupported(problem).getMessage());
      return;
    }
    List<DeclaredVariable> variables = new ArrayList<>();
    boolean ok = true;
    for (ExecutableElement method : abstractMethods(type)) {
      DeclaredVariable v = reader.read(type, method);
      ok &= v != null;
      if (v != null) {
        variables.add(v);
      }
    }
    boolean unique = uniqueNames(type, variables);
    if (ok && unique) {
      javaFile(type, variables).writeTo(filer);
    }
  }

  /** Why no class can implement {@code type}, or null. */
  private static @Nullable String structuralProblem(TypeElement type) {
    String name = type.getQualifiedName().toString();
    if (type.getKind() != ElementKind.INTERFACE) {
      return "@StateVariables must be on an interface, and " + name + " is "
          + (type.getKind() == ElementKind.ANNOTATION_TYPE ? "an annotation type"
              : type.getKind() == ElementKind.ENUM ? "an enum"
              : "a " + type.getKind().toString().toLowerCase(Locale.ROOT));
    }
    if (!type.getTypeParameters().isEmpty()) {
      return "@StateVariables interface " + name + " must not have type parameters: a state"
          + " variable's types are fixed";
    }
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return "@StateVariables interface " + name + " must not be private, nor nested in a"
            + " private class: the class generated for it implements it";
      }
    }
    return null;
  }

  /** The methods a class implementing {@code type} must define: those not Object's or default. */
  private List<ExecutableElement> abstractMethods(TypeElement type) {
    TypeElement object = elements.getTypeElement(Object.class.getCanonicalName());
    List<ExecutableElement> objectMethods = ElementFilter.methodsIn(object.getEnclosedElements());
    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (m.getModifiers().contains(Modifier.ABSTRACT) && objectMethods.stream()
          .noneMatch(o -> elements.overrides(m, o, type))) {
        methods.add(m);
      }
    }
    return methods;
  }

  /** Reports every variable whose name an earlier one has; false if any. */
  private boolean uniqueNames(TypeElement type, List<DeclaredVariable> variables) {
    Map<String, DeclaredVariable> byName = new LinkedHashMap<>();
    boolean unique = true;
    for (DeclaredVariable v : variables) {
      DeclaredVariable first = byName.putIfAbsent(v.name(), v);
      if (first != null) {
        unique = false;
        reporter.error(v.method(), v.renamed(), v.renamed() == null ? null : "name", 0,
            StateVariableReader.unsupported("state variable '" + v.name() + "' of "
                + type.getQualifiedName() + " is declared by both " + first.methodName()
                + "() and " + v.methodName() + "(); each method needs a name of its own (see"
                + " @StateVariable)").getMessage());
      }
    }
    return unique;
  }

  private static JavaFile javaFile(TypeElement type, List<DeclaredVariable> variables) {
    ClassName source = ClassName.get(type);
    ClassName generated = ClassName.get(source.packageName(),
        String.join("_", source.simpleNames()) + "_Variables");
    TypeSpec.Builder implementation = TypeSpec.classBuilder(generated)
        .addModifiers(Modifier.FINAL)
        .addSuperinterface(source)
        .addAnnotation(AnnotationSpec.builder(Generated.class)
            .addMember("value", "$S", SluiceProcessor.class.getName()).build())
        .addJavadoc("The state variables {@link $T} declares; generated by Sluice, do not edit.\n",
            source)
        .addOriginatingElement(type);
    if (type.getModifiers().contains(Modifier.PUBLIC)) {
      implementation.addModifiers(Modifier.PUBLIC);
    }
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(StatefulProcessorHandle.class, HANDLE);
    for (DeclaredVariable v : variables) {
      implementation.addField(FieldSpec.builder(v.stateType(), v.methodName(), Modifier.PRIVATE,
          Modifier.FINAL).build());
      constructor.addStatement("this.$N = $N.$L($L)", v.methodName(), HANDLE,
          v.kind().declaration(), declarationArguments(v));
      implementation.addMethod(accessor(v));
    }
    return JavaFile.builder(source.packageName(), implementation
            .addMethod(constructor.build())
            .addMethod(declare(source, generated))
            .build())
        .addFileComment("Generated by Sluice; source: @StateVariables interface $L",
            source.canonicalName())
        .skipJavaLangImports(true)
        .build();
  }

  /** {@code "recent", Payment.class, new TTLConfig(Duration.ofMinutes(10))}. */
  private static CodeBlock declarationArguments(DeclaredVariable v) {
    CodeBlock.Builder arguments = CodeBlock.builder().add("$S", v.name());
    for (TypeName t : v.types()) {
      arguments.add(",$W$T.class", t);
    }
    return arguments.add(",$W").add(ttl(v.ttlMillis())).build();
  }

  /** {@code TTLConfig.NONE}, or the TTL in the largest unit that divides it. */
  private static CodeBlock ttl(long millis) {
    if (millis == 0) {
      return CodeBlock.of("$T.NONE", TTLConfig.class);
    }
    DurationUnit unit = DurationUnit.of(millis);
    long count = millis / unit.millis();
    return CodeBlock.of("new $T($T.$L($L$L))", TTLConfig.class, Duration.class, unit.factory(),
        count, count > Integer.MAX_VALUE ? "L" : "");
  }

  private static MethodSpec accessor(DeclaredVariable v) {
    String held = v.types().size() == 1 ? "{@code " + simple(v.types().get(0)) + "}"
        : "{@code " + simple(v.types().get(0)) + "} to {@code " + simple(v.types().get(1)) + "}";
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("State variable {@code $L}, a $L of $L", v.name(),
            v.kind().type().simpleName(), held);
    if (v.ttlMillis() > 0) {
      doc.add(";\n" + v.kind().expiry(), DurationUnit.of(v.ttlMillis()).text(v.ttlMillis()));
    }
    return MethodSpec.methodBuilder(v.methodName())
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(doc.add(".\n").build())
        .returns(v.stateType())
        .addStatement("return $N", v.methodName())
        .build();
  }

  private static String simple(TypeName type) {
    return type instanceof ClassName c ? c.simpleName() : type.toString();
  }

  /** {@code CardState_Variables.declare(getHandle())}, the entry point. */
  private static MethodSpec declare(ClassName source, ClassName generated) {
    return MethodSpec.methodBuilder("declare")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("""
            Declares the state variables of {@link $T} through {@code $N}, each once,
            and returns them; call it in {@link $T#init},
            the only time a processor may declare variables:
            <pre>{@code
            state = $T.declare(getHandle());
            }</pre>
            """, source, HANDLE, StatefulProcessor.class, generated)
        .addParameter(StatefulProcessorHandle.class, HANDLE)
        .returns(source)
        .addStatement("return new $T($N)", generated, HANDLE)
        .build();
  }
}
