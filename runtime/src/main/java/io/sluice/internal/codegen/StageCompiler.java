package io.sluice.internal.codegen;

import com.palantir.javapoet.JavaFile;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles generated source files with Janino, once per distinct source text for one engine.
 *
 * <p>Because constants and user functions are never part of the source, two queries of the same
 * shape share one compiled class. The cache belongs to the engine, not the JVM: classes named in
 * the source resolve through the engine's class loader, and they go away with the engine. A
 * failed compile reports the source with line numbers.
 */
public final class StageCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(StageCompiler.class);
  private static final AtomicLong COMPILATIONS = new AtomicLong();

  private final @Nullable Path dumpDirectory;
  private final Map<String, Class<?>> cache = new ConcurrentHashMap<>();

  public StageCompiler(@Nullable Path dumpDirectory) {
    this.dumpDirectory = dumpDirectory;
  }

  /** How many classes Janino has compiled in this JVM; a cache hit does not count. */
  public static long compilations() {
    return COMPILATIONS.get();
  }

  /** The class {@code file} declares, compiled (or taken from the cache). */
  public Class<?> compile(JavaFile file, ClassLoader parent) {
    String source = file.toString();
    String className = file.packageName() + "." + file.typeSpec().name();
    dump(className, source);
    Class<?> cached = cache.get(source);
    if (cached != null) {
      return cached;
    }
    Class<?> compiled = janino(className, source, parent);
    Class<?> raced = cache.putIfAbsent(source, compiled);
    return raced != null ? raced : compiled;
  }

  private static Class<?> janino(String className, String source, ClassLoader parent) {
    long start = System.nanoTime();
    SimpleCompiler compiler = new SimpleCompiler();
    compiler.setTargetVersion(8);
    compiler.setParentClassLoader(parent);
    try {
      compiler.cook(className + ".java", source);
      // Defined from Janino's own bytes: asking Janino's loader would ask its parent first, which
      // may hold a build-time class of the same name that no longer matches this source.
      Class<?> type = new StageClassLoader(parent, compiler.getBytecodes()).loadClass(className);
      COMPILATIONS.incrementAndGet();
      LOG.debug("compiled {} with Janino in {} ms", className, (System.nanoTime() - start) / 1_000_000);
      return type;
    } catch (CompileException | ClassNotFoundException | RuntimeException e) {
      // Janino reports some limits (a method over 64 KB) as unchecked internal errors.
      throw new SluiceException(
          ErrorKind.CODEGEN,
          "generated class " + className + " does not compile: " + e.getMessage()
              + "\n" + numbered(source),
          e);
    }
  }

  private void dump(String className, String source) {
    if (dumpDirectory == null) {
      return;
    }
    Path file = dumpDirectory.resolve(className.replace('.', '/') + ".java");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, source, StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warn("could not dump generated source to {}: {}", file, e.toString());
    }
  }

  /** The source with 1-based line numbers, for compile errors. */
  static String numbered(String source) {
    StringBuilder out = new StringBuilder();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(String.format("%4d  %s%n", i + 1, lines[i]));
    }
    return out.toString();
  }

  /** Defines the classes one compilation produced, before asking the parent for any name. */
  private static final class StageClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    StageClassLoader(ClassLoader parent, Map<String, byte[]> classes) {
      super(parent);
      this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        byte[] bytes = classes.get(name);
        if (loaded == null && bytes != null) {
          loaded = defineClass(name, bytes, 0, bytes.length);
        }
        if (loaded == null) {
          return super.loadClass(name, resolve);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
