package io.sluice.processor;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/**
 * Reports errors as javac diagnostics on the element, annotation and value they concern, with the
 * engine's message text unchanged (it already starts with its {@code [Sluice/Id]}).
 *
 * <p>Errors are held until {@link #flush}: a class that turns out to name a type generated in a
 * later round is {@linkplain #discard discarded} and tried again, so it is never reported twice.
 */
final class Reporter {
  private final Messager messager;
  private final List<Pending> pending = new ArrayList<>();

  Reporter(Messager messager) {
    this.messager = messager;
  }

  private record Pending(String message, Element element, @Nullable AnnotationMirror annotation,
      @Nullable AnnotationValue value) {}

  /** An error on {@code member}[{@code index}] of {@code annotation}, or on the element. */
  void error(Element element, @Nullable QueryAnnotation annotation, @Nullable String member,
      int index, String message) {
    AnnotationValue value = annotation == null || member == null ? null
        : annotation.value(member, index);
    pending.add(new Pending(message, element, annotation == null ? null : annotation.mirror(),
        value));
  }

  /** Prints the errors held so far. */
  void flush() {
    for (Pending p : pending) {
      if (p.annotation() == null) {
        messager.printMessage(Diagnostic.Kind.ERROR, p.message(), p.element());
      } else if (p.value() == null) {
        messager.printMessage(Diagnostic.Kind.ERROR, p.message(), p.element(), p.annotation());
      } else {
        messager.printMessage(Diagnostic.Kind.ERROR, p.message(), p.element(), p.annotation(),
            p.value());
      }
    }
    pending.clear();
  }

  /** Forgets the errors held so far: their class will be processed again. */
  void discard() {
    pending.clear();
  }
}
