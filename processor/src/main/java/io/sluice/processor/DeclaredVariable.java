package io.sluice.processor;

import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import org.jspecify.annotations.Nullable;

/**
 * One state variable of a {@code @StateVariables} interface, as read from its method.
 *
 * @param method the interface method that declares it
 * @param name the variable's name in the checkpoint
 * @param renamed the {@code @StateVariable} that gave {@code name}, or null for the method's name
 * @param kind value, list or map
 * @param types its type arguments: the value type, or the map's key and value types
 * @param ttlMillis its time to live; 0 for none
 */
record DeclaredVariable(ExecutableElement method, String name, @Nullable QueryAnnotation renamed,
    StateKind kind, List<TypeName> types, long ttlMillis) {
  /** The method's name, also the generated field's. */
  String methodName() {
    return method.getSimpleName().toString();
  }

  /** {@code ListState<Payment>}. */
  TypeName stateType() {
    return ParameterizedTypeName.get(kind.type(), types.toArray(new TypeName[0]));
  }
}
