package io.sluice.processor;

import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Thrown when a class names a type javac does not know yet. Another processor may generate it in
 * a later round, so the class is tried again then; only in the last round is this an error.
 */
final class MissingTypeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code missing} says what is missing, e.g. {@code the class in 'from'}. */
  MissingTypeException(String missing) {
    super(missing, null, false, false);
  }

  /** {@code type} itself, once javac knows it; {@code what} describes it for the error. */
  static TypeMirror check(TypeMirror type, String what) {
    if (type.getKind() == TypeKind.ERROR) {
      throw new MissingTypeException(what);
    }
    return type;
  }
}
