package io.sluice.processor;

import com.google.auto.service.AutoService;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The build-time half of Sluice. For each {@code @StreamQuery} class it runs the engine's
 * analyzer, planner and code generator and writes the stage classes, so the query starts without
 * compiling anything; for each {@code @Event} type it writes a column metamodel ({@code Click_}).
 * Errors are javac errors on the annotation value concerned, in the engine's words.
 *
 * <p>It never throws at javac: a problem with one class is reported on it and the others go on.
 */
@AutoService(Processor.class)
public final class SluiceProcessor extends AbstractProcessor {
  static final String EVENT = "io.sluice.annotations.Event";

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(EVENT, QueryClassWriter.STREAM_QUERY);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Reporter reporter = new Reporter(processingEnv.getMessager());
    QueryClassWriter queries = new QueryClassWriter(processingEnv.getElementUtils(),
        processingEnv.getFiler(), reporter);
    EventTypeWriter events = new EventTypeWriter(processingEnv.getFiler(), reporter);
    for (TypeElement annotation : annotations) {
      boolean isQuery = annotation.getQualifiedName().contentEquals(QueryClassWriter.STREAM_QUERY);
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        try {
          if (isQuery) {
            queries.write((TypeElement) element);
          } else {
            events.write((TypeElement) element);
          }
        } catch (SluiceException e) {
          reporter.error(element, null, null, 0, e.getMessage());
        } catch (IOException | RuntimeException e) {
          reporter.error(element, null, null, 0,
              "[Sluice/CodeGeneration] could not generate code for this class: " + e);
        }
      }
    }
    return false;
  }
}
