package io.sluice.processor;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import javax.tools.JavaFileObject;

/**
 * Loads the classes a successful compilation wrote (fixtures and generated classes), with the
 * test's class loader as parent, so that the engine and Janino see them as an application would.
 */
final class CompiledClasses extends ClassLoader {
  private static final String CLASS_OUTPUT = "/CLASS_OUTPUT/";

  private final Map<String, byte[]> classes = new HashMap<>();

  CompiledClasses(Compilation compilation) {
    this(compilation, name -> true);
  }

  /** Only the classes whose binary names {@code include} accepts. */
  CompiledClasses(Compilation compilation, Predicate<String> include) {
    super(CompiledClasses.class.getClassLoader());
    for (JavaFileObject file : compilation.generatedFiles()) {
      String path = file.toUri().getPath();
      if (file.getKind() == JavaFileObject.Kind.CLASS && path.contains(CLASS_OUTPUT)) {
        String name = path.substring(path.indexOf(CLASS_OUTPUT) + CLASS_OUTPUT.length(),
            path.length() - ".class".length()).replace('/', '.');
        if (include.test(name)) {
          classes.put(name, bytes(file));
        }
      }
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = classes.get(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length);
  }

  private static byte[] bytes(JavaFileObject file) {
    try (InputStream in = file.openInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
