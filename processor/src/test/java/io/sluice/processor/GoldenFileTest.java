package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.Fixtures.CLICK;
import static io.sluice.processor.Fixtures.DEVICES;
import static io.sluice.processor.Fixtures.ORDER;
import static io.sluice.processor.Fixtures.PAGE_COUNT;
import static io.sluice.processor.Fixtures.PAGE_COUNTS;
import static io.sluice.processor.Fixtures.PRODUCT_SALES;
import static io.sluice.processor.Fixtures.PRODUCT_VIEWS;
import static io.sluice.processor.Fixtures.READING;
import static io.sluice.processor.Fixtures.SECTIONS;
import static io.sluice.processor.Fixtures.VIEWS_PER_WINDOW;
import static io.sluice.processor.Fixtures.compile;

import com.google.testing.compile.Compilation;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What the processor writes for small fixtures, compared with golden files named after each test
 * method ({@code src/test/resources/goldens/<method>/}); see {@link Goldens} for regenerating them.
 * Every compilation must also succeed without a warning: the generated code compiles with javac.
 */
class GoldenFileTest {
  @Test
  void statelessFilterAndProject(TestInfo test) {
    Compilation compilation = compile(CLICK, PRODUCT_VIEWS);
    assertMatchesGoldens(test, compilation);
  }

  @Test
  void groupedAggregationWithHaving(TestInfo test) {
    Compilation compilation = compile(ORDER, PRODUCT_SALES);
    assertMatchesGoldens(test, compilation);
  }

  @Test
  void sqlFunctionsCalledFromGeneratedCode(TestInfo test) {
    Compilation compilation = compile(CLICK, SECTIONS);
    assertMatchesGoldens(test, compilation, CLICK_FILES);
  }

  @Test
  void queryReadIntoRecord(TestInfo test) {
    Compilation compilation = compile(CLICK, PAGE_COUNT, PAGE_COUNTS);
    assertMatchesGoldens(test, compilation, CLICK_FILES);
  }

  @Test
  void windowedAggregationWithWatermark(TestInfo test) {
    Compilation compilation = compile(CLICK, VIEWS_PER_WINDOW);
    assertMatchesGoldens(test, compilation, CLICK_FILES);
  }

  @Test
  void eventMetamodel(TestInfo test) {
    Compilation compilation = compile(READING, DEVICES);
    assertMatchesGoldens(test, compilation);
  }

  /** The metamodel and codec of the Click fixture: held by statelessFilterAndProject's goldens. */
  private static final Set<String> CLICK_FILES = Set.of("shop/Click_.java",
      "shop/Click_Codec.java");

  private static void assertMatchesGoldens(TestInfo test, Compilation compilation) {
    assertMatchesGoldens(test, compilation, Set.of());
  }

  private static void assertMatchesGoldens(TestInfo test, Compilation compilation,
      Set<String> coveredElsewhere) {
    assertThat(compilation).succeededWithoutWarnings();
    Goldens.assertMatch(test.getTestMethod().orElseThrow().getName(), compilation,
        coveredElsewhere);
  }
}
