package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;

/**
 * Compares every source a compilation generated with the golden files of one test, kept in
 * {@code src/test/resources/goldens/<test>/<package path>/<Class>.java}, exactly.
 *
 * <p>To regenerate them on purpose (after a deliberate change to generated code), run
 *
 * <pre>
 * mvn -o -pl processor test -Dsluice.updateGoldens=true
 * </pre>
 *
 * which rewrites each test's folder with what the processor generates now (files no longer
 * generated are deleted); then review the diff with {@code git diff} before committing it.
 */
final class Goldens {
  /** The switch that rewrites golden files instead of comparing with them. */
  static final String UPDATE_PROPERTY = "sluice.updateGoldens";

  private static final String SOURCE_OUTPUT = "/SOURCE_OUTPUT/";

  private Goldens() {}

  /** Asserts the generated sources are exactly those of {@code goldens/<test>}. */
  static void assertMatch(String test, Compilation compilation) {
    assertMatch(test, compilation, Set.of());
  }

  /**
   * Same, leaving out the generated files in {@code coveredElsewhere}: files another golden test
   * already holds, byte for byte, because both compile the same fixture.
   */
  static void assertMatch(String test, Compilation compilation, Set<String> coveredElsewhere) {
    Map<String, String> generated = generatedSources(compilation);
    generated.keySet().removeAll(coveredElsewhere);
    Path folder = root().resolve(test);
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      rewrite(folder, generated);
      return;
    }
    Map<String, String> goldens = read(folder);
    assertThat(generated.keySet())
        .as("files generated for %s (golden folder %s)", test, folder)
        .containsExactlyElementsOf(goldens.keySet());
    for (Map.Entry<String, String> golden : goldens.entrySet()) {
      assertThat(compilation)
          .generatedSourceFile(className(golden.getKey()))
          .contentsAsUtf8String()
          .isEqualTo(golden.getValue());
    }
  }

  /** Relative path (e.g. {@code shop/Click_.java}) to text, sorted by path. */
  static Map<String, String> generatedSources(Compilation compilation) {
    Map<String, String> sources = new TreeMap<>();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      String uri = file.toUri().getPath();
      String path = uri.substring(uri.indexOf(SOURCE_OUTPUT) + SOURCE_OUTPUT.length());
      try {
        sources.put(path, file.getCharContent(false).toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sources;
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".java".length()).replace('/', '.');
  }

  /** The goldens folder of this module's sources (not the copy in target/), so updates stick. */
  private static Path root() {
    return Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "goldens");
  }

  private static Map<String, String> read(Path folder) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        String relative = folder.relativize(p).toString().replace('\\', '/');
        files.put(relative, Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static void rewrite(Path folder, Map<String, String> generated) {
    try {
      if (Files.isDirectory(folder)) {
        try (Stream<Path> paths = Files.walk(folder)) {
          List<Path> deepestFirst = paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())
              .toList();
          for (Path p : deepestFirst) {
            Files.delete(p);
          }
        }
      }
      for (Map.Entry<String, String> file : generated.entrySet()) {
        Path target = folder.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
