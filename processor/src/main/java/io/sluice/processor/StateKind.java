package io.sluice.processor;

import com.palantir.javapoet.ClassName;
import io.sluice.api.ListState;
import io.sluice.api.MapState;
import io.sluice.api.ValueState;
import javax.lang.model.element.TypeElement;
import org.jspecify.annotations.Nullable;

/** The kinds of {@code transformWithState} state variable, and how a handle declares each. */
enum StateKind {
  VALUE(ValueState.class, "getValueState", "its value expires $L after its last update"),
  LIST(ListState.class, "getListState", "each element expires $L after it was written"),
  MAP(MapState.class, "getMapState", "each entry expires $L after it was written");

  private final ClassName type;
  private final String declaration;
  private final String expiry;

  StateKind(Class<?> type, String declaration, String expiry) {
    this.type = ClassName.get(type);
    this.declaration = declaration;
    this.expiry = expiry;
  }

  /** The kind whose interface {@code type} is, or null. */
  static @Nullable StateKind of(TypeElement type) {
    for (StateKind kind : values()) {
      if (type.getQualifiedName().contentEquals(kind.type.canonicalName())) {
        return kind;
      }
    }
    return null;
  }

  /** {@code ValueState}, ... */
  ClassName type() {
    return type;
  }

  /** The handle's method that declares a variable of this kind, e.g. {@code getValueState}. */
  String declaration() {
    return declaration;
  }

  /** How a TTL applies to this kind, with a {@code $L} for the duration text. */
  String expiry() {
    return expiry;
  }
}
