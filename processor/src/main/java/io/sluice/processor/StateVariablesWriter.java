package io.sluice.processor;

import io.sluice.api.StatefulProcessorHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.processing.Filer;
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
 * Checks a {@code @StateVariables} interface and writes its implementation, {@link
 * StateVariablesClass}, whose {@code declare(handle)} declares each variable once through a {@link
 * StatefulProcessorHandle}. Every mistake in the interface is reported, on the interface or the
 * method concerned, and then nothing is written.
 */
final class StateVariablesWriter {
  static final String STATE_VARIABLES = "io.sluice.annotations.StateVariables";
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
    boolean placed = annotationsOnAbstractMethodsOnly(type);
    if (ok && unique && placed) {
      StateVariablesClass.of(type, variables).writeTo(filer);
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

  /**
   * Reports {@code @Ttl} and {@code @StateVariable} on the interface's default and static
   * methods, which declare nothing, rather than ignoring them; false if any.
   */
  private boolean annotationsOnAbstractMethodsOnly(TypeElement type) {
    boolean placed = true;
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      for (String name : List.of(StateVariableReader.TTL, StateVariableReader.STATE_VARIABLE)) {
        QueryAnnotation misplaced = QueryAnnotation.find(m, name, elements);
        if (misplaced != null && !m.getModifiers().contains(Modifier.ABSTRACT)) {
          placed = false;
          reporter.error(m, misplaced, null, 0, StateVariableReader.unsupported("@"
              + name.substring(name.lastIndexOf('.') + 1) + " on method "
              + StateVariableReader.name(type, m) + " does nothing: only the abstract methods of a @StateVariables interface"
              + " declare variables").getMessage());
        }
      }
    }
    return placed;
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
}
