package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.Fixtures.CLICK;
import static io.sluice.processor.Fixtures.ORDER;
import static io.sluice.processor.Fixtures.PAGE_COUNT;
import static io.sluice.processor.Fixtures.PAGE_COUNTS;
import static io.sluice.processor.Fixtures.PRODUCT_SALES;
import static io.sluice.processor.Fixtures.PRODUCT_VIEWS;
import static io.sluice.processor.Fixtures.SECTIONS;
import static io.sluice.processor.Fixtures.compile;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.codehaus.janino.SimpleCompiler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stage class the processor writes (and javac compiles at build time) also compiles with
 * Janino, as the engine compiles it at run time when the build-time class is missing or stale:
 * the same source must suit both compilers.
 */
class JaninoCompatibilityTest {
  private static final String STAGE = ".*_Stage\\d+";

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("stateless filter and project", new JavaFileObject[] {CLICK, PRODUCT_VIEWS}),
        Arguments.of("grouped aggregation", new JavaFileObject[] {ORDER, PRODUCT_SALES}),
        Arguments.of("@SqlFunctions", new JavaFileObject[] {CLICK, SECTIONS}),
        Arguments.of("into record", new JavaFileObject[] {CLICK, PAGE_COUNT, PAGE_COUNTS}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyGeneratedStageCompilesWithJanino(String fixture, JavaFileObject[] sources)
      throws Exception {
    Compilation compilation = compile(sources);
    assertThat(compilation).succeededWithoutWarnings();
    Map<String, String> stages = Goldens.generatedSources(compilation);
    stages.keySet().removeIf(path -> !path.matches(STAGE + "\\.java"));
    // Stages may call the query class's @SqlFunctions: Janino's parent sees the compiled fixture,
    // but not javac's stage classes, so that loading a stage gets Janino's.
    ClassLoader fixtureClasses = new CompiledClasses(compilation, name -> !name.matches(STAGE));
    assertThat(stages).isNotEmpty();

    for (Map.Entry<String, String> stage : stages.entrySet()) {
      String className = stage.getKey().replace(".java", "").replace('/', '.');
      SimpleCompiler janino = new SimpleCompiler();
      janino.setTargetVersion(8);
      janino.setParentClassLoader(fixtureClasses);
      janino.cook(stage.getKey(), stage.getValue());

      Class<?> compiled = janino.getClassLoader().loadClass(className);
      assertThat(compiled.getClassLoader()).isNotSameAs(fixtureClasses);
      assertThat(compiled.getField("SOURCE_DIGEST").get(null)).isInstanceOf(String.class);
    }
  }
}
