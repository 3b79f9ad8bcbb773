package io.sluice.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.codehaus.janino.SimpleCompiler;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The other half of the differential check (STYLE practice 12): javac compiled every stage class
 * the processor generated for the test sources during the build; here Janino compiles each of the
 * same files, as the engine would, and the class it produces loads and verifies. Every method of
 * both compilers' classes stays under HotSpot's huge-method limit.
 */
class GeneratedStagesJaninoTest {
  private static final Pattern STAGE = Pattern.compile(".*_Stage\\d+\\.java");
  private static final Pattern FACTORY = Pattern.compile("(.*)_Query\\.java");

  /** Set by samples/pom.xml for surefire; the default serves a run from the module directory. */
  static Path generatedSources() {
    Path dir = Path.of(System.getProperty("sluice.generatedTestSources",
        "target/generated-test-sources/test-annotations"));
    assertThat(dir).as("generated test sources (system property sluice.generatedTestSources)")
        .isDirectory();
    return dir;
  }

  /** Every stage source the processor generated for the test sources, named by its file. */
  static Stream<Named<Path>> stageSources() throws IOException {
    List<Path> files = javaFiles(generatedSources()).stream()
        .filter(p -> STAGE.matcher(p.getFileName().toString()).matches()).sorted().toList();
    assertThat(files).as("stage sources under %s", generatedSources()).isNotEmpty();
    return files.stream().map(p -> Named.of(p.getFileName().toString(), p));
  }

  /** Every other source the processor generated: query factories, metamodels, codecs. */
  static Stream<Named<Path>> otherSources() throws IOException {
    List<Path> files = javaFiles(generatedSources()).stream()
        .filter(p -> !STAGE.matcher(p.getFileName().toString()).matches()).sorted().toList();
    assertThat(files).as("generated sources under %s", generatedSources()).isNotEmpty();
    return files.stream().map(p -> Named.of(p.getFileName().toString(), p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherSources")
  void everyOtherGeneratedClassCompilesWithJaninoToo(Path file) throws Exception {
    SimpleCompiler janino = new SimpleCompiler();
    janino.setTargetVersion(8);
    janino.setParentClassLoader(getClass().getClassLoader());
    janino.cook(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    assertThat(janino.getBytecodes()).containsKey(className(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stageSources")
  void compilesWithJanino(Path file) throws Exception {
    String source = Files.readString(file, StandardCharsets.UTF_8);
    String className = className(file);
    ClassLoader testLoader = getClass().getClassLoader();
    SimpleCompiler janino = new SimpleCompiler();
    janino.setTargetVersion(8);
    janino.setParentClassLoader(testLoader);
    janino.cook(file.toString(), source);

    Map<String, byte[]> bytecodes = janino.getBytecodes();
    assertThat(bytecodes).containsKey(className);
    // Load Janino's bytes, not javac's class of the same name that the parent loader has.
    Class<?> compiled = Class.forName(className, true,
        new ChildFirstLoader(bytecodes, testLoader));
    assertThat(compiled.getClassLoader()).isNotSameAs(testLoader);
    Class<?> javac = Class.forName(className, true, testLoader);
    assertThat(digest(compiled)).isEqualTo(digest(javac)).isNotBlank();

    // Small enough for HotSpot to compile, as javac and as Janino compiled it.
    assertThat(MethodSizes.of(bytecodes.get(className)))
        .as("Janino's bytecode sizes of %s", className).isNotEmpty()
        .allSatisfy((method, size) -> assertThat(size).isLessThanOrEqualTo(
            MethodSizes.HUGE_METHOD_LIMIT));
    assertThat(MethodSizes.of(javacBytes(className)))
        .as("javac's bytecode sizes of %s", className).isNotEmpty()
        .allSatisfy((method, size) -> assertThat(size).isLessThanOrEqualTo(
            MethodSizes.HUGE_METHOD_LIMIT));
  }

  private byte[] javacBytes(String className) throws IOException {
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream(className.replace('.', '/') + ".class")) {
      assertThat(in).as("javac's %s", className).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void everyAnnotatedQueryOfThePackageIsInTheCorpus() throws IOException {
    Path here = generatedSources().resolve(getClass().getPackageName().replace('.', '/'));
    Set<String> generated = javaFiles(here).stream()
        .map(p -> FACTORY.matcher(p.getFileName().toString()))
        .filter(m -> m.matches()).map(m -> m.group(1)).collect(Collectors.toSet());
    Set<String> corpus = Corpus.QUERIES.stream()
        .map(q -> Corpus.Query.of(q).generatedPrefix())
        .map(name -> name.substring(name.lastIndexOf('.') + 1)).collect(Collectors.toSet());
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(30)
        .containsExactlyInAnyOrderElementsOf(generated);
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).toList();
    }
  }

  private static String className(Path file) {
    Path relative = generatedSources().relativize(file);
    String name = relative.toString().replace(relative.getFileSystem().getSeparator(), ".");
    return name.substring(0, name.length() - ".java".length());
  }

  private static String digest(Class<?> stage) throws ReflectiveOperationException {
    Field f = stage.getField("SOURCE_DIGEST");
    return (String) f.get(null);
  }

  /** Defines the classes Janino compiled before asking the parent. */
  private static final class ChildFirstLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    ChildFirstLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super(parent);
      this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null && classes.containsKey(name)) {
          byte[] bytes = classes.get(name);
          c = defineClass(name, bytes, 0, bytes.length);
        }
        if (c == null) {
          return super.loadClass(name, resolve);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
