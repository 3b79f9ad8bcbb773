package io.sluice.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.ScalarFunction;
import io.sluice.internal.analysis.UserFunctions;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code @SqlFunction} methods of a query class with the engine's rules. A bad method
 * is reported on its own {@code @SqlFunction}, in the words the engine uses at run time, and every
 * bad method is reported, not only the first.
 */
final class SqlFunctionReader {
  static final String SQL_FUNCTION = "io.sluice.annotations.SqlFunction";

  private final Elements elements;
  private final Types types;
  private final Reporter reporter;

  SqlFunctionReader(Elements elements, Types types, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.reporter = reporter;
  }

  /** The query's functions, or null when any of them was reported as an error. */
  @Nullable List<ScalarFunction> read(TypeElement queryClass) {
    List<UserFunctions.Declared> declared = new ArrayList<>();
    boolean ok = true;
    for (Element e : queryClass.getEnclosedElements()) {
      QueryAnnotation annotation = QueryAnnotation.find(e, SQL_FUNCTION, elements);
      if (annotation == null || e.getKind() != ElementKind.METHOD) {
        continue;
      }
      try {
        declared.add(checked(queryClass, (ExecutableElement) e, annotation));
      } catch (SluiceException error) {
        reporter.error(e, annotation, null, 0, error.getMessage());
        ok = false;
      }
    }
    return ok ? UserFunctions.of(declared) : null;
  }

  /** One method, checked as the engine checks it: public, static, supported types. */
  private UserFunctions.Declared checked(TypeElement queryClass, ExecutableElement method,
      QueryAnnotation annotation) {
    String where = "@SqlFunction " + queryClass.getSimpleName() + "." + method.getSimpleName();
    if (!method.getModifiers().containsAll(List.of(Modifier.PUBLIC, Modifier.STATIC))) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, where
          + " must be public and static");
    }
    List<TypeName> parameters = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      parameters.add(javaType(p.asType(), where));
    }
    String name = annotation.string("name");
    UserFunctions.Declared declared = new UserFunctions.Declared(
        name.isEmpty() ? method.getSimpleName().toString() : name, ClassName.get(queryClass),
        method.getSimpleName().toString(), parameters, javaType(method.getReturnType(), where));
    UserFunctions.of(List.of(declared));
    return declared;
  }

  /** Erased, as reflection reports it at run time, so that errors name the same type. */
  private TypeName javaType(TypeMirror type, String where) {
    MissingTypeException.check(type, "a parameter or result type of " + where);
    return TypeName.get(types.erasure(type)).withoutAnnotations();
  }
}
