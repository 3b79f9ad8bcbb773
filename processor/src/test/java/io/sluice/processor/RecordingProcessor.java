package io.sluice.processor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The real {@link SluiceProcessor}, with a note of every source file it creates. compile-testing
 * shows no generated file of a failed compilation; this shows what the processor still wrote
 * for the good classes when another class had an error.
 */
final class RecordingProcessor implements Processor {
  private final SluiceProcessor delegate = new SluiceProcessor();
  private final List<String> created = new ArrayList<>();

  /** Qualified names of the source files created, in order. */
  List<String> createdSources() {
    return List.copyOf(created);
  }

  @Override
  public void init(ProcessingEnvironment env) {
    Filer filer = recording(env.getFiler());
    delegate.init(forward(ProcessingEnvironment.class,
        (method, args) -> method.getName().equals("getFiler") ? filer : method.invoke(env, args)));
  }

  private Filer recording(Filer filer) {
    return forward(Filer.class, (method, args) -> {
      if (method.getName().equals("createSourceFile")) {
        created.add(args[0].toString());
      }
      return method.invoke(filer, args);
    });
  }

  private interface Call {
    Object invoke(Method method, Object[] args) throws ReflectiveOperationException;
  }

  private static <T> T forward(Class<T> type, Call call) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          try {
            return call.invoke(method, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }));
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    return delegate.process(annotations, round);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return delegate.getSupportedOptions();
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return delegate.getSupportedAnnotationTypes();
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return delegate.getSupportedSourceVersion();
  }

  @Override
  public Iterable<? extends Completion> getCompletions(Element element,
      AnnotationMirror annotation, ExecutableElement member, String userText) {
    return delegate.getCompletions(element, annotation, member, userText);
  }
}
