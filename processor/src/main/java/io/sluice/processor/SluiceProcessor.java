package io.sluice.processor;

import com.google.auto.service.AutoService;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * The build-time half of Sluice. For each {@code @StreamQuery} class it runs the engine's
 * analyzer, planner and code generator and writes the stage classes, so the query starts without
 * compiling anything; for each {@code @Event} type it writes a column metamodel ({@code Click_});
 * for each {@code @StateVariables} interface, the class that declares its {@code
 * transformWithState} state variables ({@code CardState_Variables}).
 * Errors are javac errors on the annotation value concerned, in the engine's words.
 *
 * <p>It never throws at javac: a problem with one class is reported on it and the others go on.
 * A class that names a type javac does not know yet (one another processor generates) is tried
 * again in the next round.
 */
@AutoService(Processor.class)
public final class SluiceProcessor extends AbstractProcessor {
  static final String EVENT = "io.sluice.annotations.Event";

  /** Qualified names of classes to try again next round, per annotation. */
  private final Set<String> deferredEvents = new LinkedHashSet<>();
  private final Set<String> deferredQueries = new LinkedHashSet<>();
  private final Set<String> deferredStateVariables = new LinkedHashSet<>();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(EVENT, QueryClassWriter.STREAM_QUERY, StateVariablesWriter.STATE_VARIABLES);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Reporter reporter = new Reporter(processingEnv.getMessager());
    EventTypeWriter events = new EventTypeWriter(processingEnv.getTypeUtils(),
        processingEnv.getFiler());
    QueryClassWriter queries = new QueryClassWriter(processingEnv.getElementUtils(),
        processingEnv.getTypeUtils(), processingEnv.getFiler(), reporter);
    StateVariablesWriter stateVariables = new StateVariablesWriter(
        processingEnv.getElementUtils(), processingEnv.getTypeUtils(), processingEnv.getFiler(),
        reporter);
    for (String name : work(EVENT, deferredEvents, round)) {
      attempt(name, deferredEvents, events::write, reporter, round);
    }
    for (String name : work(QueryClassWriter.STREAM_QUERY, deferredQueries, round)) {
      attempt(name, deferredQueries, queries::write, reporter, round);
    }
    for (String name : work(StateVariablesWriter.STATE_VARIABLES, deferredStateVariables,
        round)) {
      attempt(name, deferredStateVariables, stateVariables::write, reporter, round);
    }
    return false;
  }

  /** The classes deferred so far, then those annotated in this round; clears the deferred set. */
  private Set<String> work(String annotation, Set<String> deferred, RoundEnvironment round) {
    Set<String> names = new LinkedHashSet<>(deferred);
    deferred.clear();
    TypeElement type = processingEnv.getElementUtils().getTypeElement(annotation);
    if (type != null) {
      for (TypeElement e : ElementFilter.typesIn(round.getElementsAnnotatedWith(type))) {
        names.add(e.getQualifiedName().toString());
      }
    }
    return names;
  }

  private interface Writer {
    void write(TypeElement type) throws IOException;
  }

  /**
   * Writes one class's files; whatever goes wrong is reported on it, never thrown at javac. A
   * class naming a type javac does not know yet goes into {@code deferred}, for the next round.
   */
  private void attempt(String name, Set<String> deferred, Writer writer, Reporter reporter,
      RoundEnvironment round) {
    TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
    if (type == null) {
      return;
    }
    try {
      writer.write(type);
    } catch (MissingTypeException e) {
      reporter.discard();
      if (!round.processingOver()) {
        deferred.add(name);
        return;
      }
      reporter.error(type, null, null, 0, new SluiceException(ErrorKind.CODEGEN,
          "cannot generate code for " + name + ": " + e.getMessage() + " was never found (if"
              + " another annotation processor generates it, look for its errors)").getMessage());
    } catch (SluiceException e) {
      reporter.error(type, null, null, 0, e.getMessage());
    } catch (IOException | RuntimeException | LinkageError e) {
      reporter.error(type, null, null, 0, new SluiceException(ErrorKind.CODEGEN,
          "could not generate code for this class: " + e).getMessage());
    }
    reporter.flush();
  }
}
