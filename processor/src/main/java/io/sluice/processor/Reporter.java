package io.sluice.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/**
 * Reports errors as javac diagnostics on the element, annotation and value they concern, with the
 * engine's message text unchanged (it already starts with its {@code [Sluice/Id]}).
 */
final class Reporter {
  private final Messager messager;

  Reporter(Messager messager) {
    this.messager = messager;
  }

  /** An error on {@code member}[{@code index}] of {@code annotation}, or on the element. */
  void error(Element element, @Nullable QueryAnnotation annotation, @Nullable String member,
      int index, String message) {
    AnnotationValue value = annotation == null || member == null ? null
        : annotation.value(member, index);
    if (annotation == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    } else if (value == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation.mirror());
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation.mirror(), value);
    }
  }
}
