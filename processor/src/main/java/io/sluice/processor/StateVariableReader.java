package io.sluice.processor;

import com.palantir.javapoet.TypeName;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.JavaTypes;
import io.sluice.internal.expression.IntervalText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * Reads one abstract method of a {@code @StateVariables} interface into the variable it declares,
 * with the engine's rules for state types; a mistake is reported on the method (or on its {@code
 * @Ttl} value) and the method is left out.
 */
final class StateVariableReader {
  static final String TTL = "io.sluice.annotations.Ttl";
  static final String STATE_VARIABLE = "io.sluice.annotations.StateVariable";

  /** What an error says a state type may be; the scalars are {@code GroupKeys.scalar}'s. */
  private static final String STATE_TYPES = "a state type is String, Long, Integer, Double,"
      + " Boolean, java.time.Instant, byte[], or a public record (or Kotlin data class) whose"
      + " components are " + JavaTypes.SUPPORTED;

  private final Elements elements;
  private final Types types;
  private final Reporter reporter;

  StateVariableReader(Elements elements, Types types, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.reporter = reporter;
  }

  /** The variable {@code method} declares, or null after reporting why it declares none. */
  @Nullable DeclaredVariable read(TypeElement owner, ExecutableElement method) {
    QueryAnnotation renamed = QueryAnnotation.find(method, STATE_VARIABLE, elements);
    String name = renamed == null || renamed.string("name").isEmpty()
        ? method.getSimpleName().toString() : renamed.string("name");
    try {
      DeclaredType result = stateType(owner, method);
      StateKind kind = Objects.requireNonNull(StateKind.of((TypeElement) result.asElement()));
      List<TypeName> arguments = new ArrayList<>();
      for (TypeMirror argument : result.getTypeArguments()) {
        arguments.add(stateTypeArgument(owner, method, name, argument));
      }
      long ttl = ttlMillis(method, name);
      return ttl < 0 ? null
          : new DeclaredVariable(method, name, renamed, kind, List.copyOf(arguments), ttl);
    } catch (SluiceException e) {
      reporter.error(method, null, null, 0, e.getMessage());
      return null;
    }
  }

  /** The method's result, a parameterized {@code ValueState}, {@code ListState} or MapState. */
  private DeclaredType stateType(TypeElement owner, ExecutableElement method) {
    String where = where(owner, method);
    if (!method.getParameters().isEmpty()) {
      throw unsupported(where + " must take no parameters: it returns the variable it declares");
    }
    if (!method.getTypeParameters().isEmpty()) {
      throw unsupported(where + " must not have type parameters: a variable's types are fixed");
    }
    TypeMirror result = MissingTypeException.check(method.getReturnType(),
        "the result type of " + where);
    StateKind kind = result instanceof DeclaredType d ? StateKind.of((TypeElement) d.asElement())
        : null;
    if (kind == null) {
      throw unsupported(where + " must return a ValueState, ListState or MapState, not "
          + result);
    }
    DeclaredType declared = (DeclaredType) result;
    if (declared.getTypeArguments().isEmpty()) {
      throw unsupported(where + " returns a raw " + kind.type().simpleName() + "; give its type "
          + (kind == StateKind.MAP ? "arguments, e.g. MapState<String, Long>"
              : "argument, e.g. " + kind.type().simpleName() + "<String>"));
    }
    for (TypeMirror argument : declared.getTypeArguments()) {
      if (argument.getKind() == TypeKind.WILDCARD) {
        throw unsupported(where + " returns " + result + ": a type argument must be the type"
            + " the variable holds, not a wildcard");
      }
    }
    return declared;
  }

  /**
   * A type the engine stores as state: one of {@code GroupKeys.scalar}'s (exactly the non-primitive
   * entries of {@link JavaTypes}) or a record, checked as {@code StateCodec} checks it at run time.
   */
  private TypeName stateTypeArgument(TypeElement owner, ExecutableElement method, String name,
      TypeMirror argument) {
    MissingTypeException.check(argument, "a type argument of the result of "
        + where(owner, method));
    TypeName type = TypeName.get(argument).withoutAnnotations();
    if (JavaTypes.sqlType(type).isPresent()) {
      return type;
    }
    String cannot = "state variable '" + name + "' of " + owner.getQualifiedName()
        + " cannot hold " + argument + ": ";
    ElementKind kind = argument instanceof DeclaredType declared
        && declared.getTypeArguments().isEmpty() ? declared.asElement().getKind() : null;
    if (kind == ElementKind.RECORD || kind == ElementKind.CLASS) {
      try {
        return ElementRecordType.of(argument, types).className();
      } catch (SluiceException e) {
        if (kind == ElementKind.RECORD) {
          throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, cannot + withoutId(e));
        }
        // A class that is no Kotlin data class: say what a state type may be, below.
      }
    }
    throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, cannot + STATE_TYPES);
  }

  /**
   * The {@code @Ttl} in milliseconds, 0 without one; -1 after reporting a text that is not a
   * positive interval in the grammar of watermark delays and windows.
   */
  private long ttlMillis(ExecutableElement method, String name) {
    QueryAnnotation ttl = QueryAnnotation.find(method, TTL, elements);
    if (ttl == null) {
      return 0;
    }
    String text = ttl.string("value");
    String message;
    try {
      long millis = IntervalText.parseMillis(text);
      if (millis > 0) {
        return millis;
      }
      message = "the @Ttl of state variable '" + name + "' (" + text + ") must be positive;"
          + " without @Ttl values stay until cleared";
    } catch (IllegalArgumentException e) {
      message = "invalid @Ttl of state variable '" + name + "': " + e.getMessage();
    }
    reporter.error(method, ttl, "value", 0,
        new SluiceException(ErrorKind.WRONG_ARGUMENTS, message).getMessage());
    return -1;
  }

  /** {@code @StateVariables method CardState.recent()}. */
  static String where(TypeElement owner, ExecutableElement method) {
    return "@StateVariables method " + name(owner, method);
  }

  /** {@code CardState.recent()}. */
  static String name(TypeElement owner, ExecutableElement method) {
    return owner.getSimpleName() + "." + method.getSimpleName() + "()";
  }

  static SluiceException unsupported(String message) {
    return new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, message);
  }

  /** The engine's message without its {@code [Sluice/Id]}, to go on in another message. */
  private static String withoutId(SluiceException e) {
    return e.getMessage().substring(("[Sluice/" + e.kind().id() + "] ").length());
  }
}
