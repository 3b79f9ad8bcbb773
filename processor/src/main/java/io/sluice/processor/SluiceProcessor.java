package io.sluice.processor;

import com.google.auto.service.AutoService;
import io.sluice.api.ErrorKind;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * The build-time half of Sluice. For now it checks {@code @Event} types with the same rules, and
 * in the same words, as the engine applies at run time; code generation for event types and query
 * classes comes next (issue #3).
 *
 * <p>It never throws at javac: a problem is reported as an error on the offending element.
 */
@AutoService(Processor.class)
public final class SluiceProcessor extends AbstractProcessor {
  private static final Set<String> SUPPORTED = Set.of("long", "int", "double", "boolean",
      "java.lang.Long", "java.lang.Integer", "java.lang.Double", "java.lang.Boolean",
      "java.lang.String", "java.time.Instant");

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("io.sluice.annotations.Event");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (TypeElement annotation : annotations) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        try {
          checkEvent(element);
        } catch (RuntimeException e) {
          error(element, "internal error while checking this event type: " + e);
        }
      }
    }
    return false;
  }

  private void checkEvent(Element element) {
    String name = element.toString();
    if (element.getKind() != ElementKind.RECORD) {
      error(element, "cannot use " + name + " as an event type: it must be a Java record "
          + "(Kotlin data classes are checked at run time)");
      return;
    }
    if (!element.getModifiers().contains(Modifier.PUBLIC)) {
      error(element, "cannot use " + name + " as an event type: it must be public so that "
          + "generated code can read it");
    }
    for (RecordComponentElement component : ((TypeElement) element).getRecordComponents()) {
      TypeMirror type = component.asType();
      if (!SUPPORTED.contains(type.toString())) {
        error(component, "cannot use " + name + " as an event type: component '"
            + component.getSimpleName() + "' has type " + type + "; supported: long, int, "
            + "double, boolean, their boxes, String, java.time.Instant");
      }
    }
  }

  private void error(Element element, String message) {
    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
        "[Sluice/" + ErrorKind.INVALID_EVENT_TYPE.id() + "] " + message, element);
  }
}
