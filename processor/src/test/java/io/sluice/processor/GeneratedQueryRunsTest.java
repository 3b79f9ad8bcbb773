package io.sluice.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.sluice.processor.Fixtures.CLICK;
import static io.sluice.processor.Fixtures.LANDING_PAGES;
import static io.sluice.processor.Fixtures.PAGE_COUNT;
import static io.sluice.processor.Fixtures.PAGE_COUNTS;
import static io.sluice.processor.Fixtures.SECTIONS;
import static io.sluice.processor.Fixtures.VIEWS_PER_WINDOW;
import static io.sluice.processor.Fixtures.compile;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import io.sluice.api.Dataset;
import io.sluice.api.Sluice;
import io.sluice.internal.codegen.StageCompiler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The functional check behind the golden files: a query compiled by the processor runs, through
 * its generated {@code <Query>_Query.over}, on the stage classes javac compiled at build time
 * (their digests match what the engine generates, so Janino compiles nothing), and gives the same
 * rows as stages the engine compiles with Janino.
 */
class GeneratedQueryRunsTest {
  private static final String STAGE = ".*_Stage\\d+";

  @Test
  void queryWithSqlFunctionsRunsOnBuildTimeStages() throws Exception {
    Compilation compilation = compile(CLICK, SECTIONS);

    List<String> rows = assertSameRowsWithBuildTimeStagesAndJanino(compilation,
        "shop.Sections_Query");

    assertThat(rows).containsExactlyInAnyOrder(
        "[/shop, 4]", "[/home, 1]");
  }

  @Test
  void queryReadIntoRecordRunsOnBuildTimeStages() throws Exception {
    Compilation compilation = compile(CLICK, PAGE_COUNT, PAGE_COUNTS);

    List<String> rows = assertSameRowsWithBuildTimeStagesAndJanino(compilation,
        "shop.PageCounts_Query");

    assertThat(rows).containsExactlyInAnyOrder(
        "PageCount[page=/shop/cart, views=3]", "PageCount[page=/shop/item, views=1]",
        "PageCount[page=/home, views=1]", "PageCount[page=/shop, views=1]");
  }

  @Test
  void windowedQueryWithWatermarkRunsOnBuildTimeStages() throws Exception {
    Compilation compilation = compile(CLICK, VIEWS_PER_WINDOW);

    List<String> rows = assertSameRowsWithBuildTimeStagesAndJanino(compilation,
        "shop.ViewsPerWindow_Query");

    // Clicks are 4 s apart: [0 s, 10 s) holds the first three (bot7's is left out), [10 s, 20 s)
    // the next two, [20 s, 30 s) the last. Window starts are epoch milliseconds.
    assertThat(rows).containsExactlyInAnyOrder(
        "[0, /shop/cart, 1]", "[0, /shop/item, 1]",
        "[10000, /home, 1]", "[10000, /shop, 1]",
        "[20000, /shop/cart, 1]");
  }

  @Test
  void deduplicatingQueryRunsOnBuildTimeStages() throws Exception {
    Compilation compilation = compile(CLICK, LANDING_PAGES);

    List<String> rows = assertSameRowsWithBuildTimeStagesAndJanino(compilation,
        "shop.LandingPages_Query");

    // Each user's first click: ann and bot7 on /shop/cart, bob on /shop/item, cy on /shop.
    assertThat(rows).containsExactlyInAnyOrder(
        "[/shop/cart, 2]", "[/shop/item, 1]", "[/shop, 1]");
  }

  /** Runs the factory's query both ways; returns the rows as text, in no particular order. */
  private static List<String> assertSameRowsWithBuildTimeStagesAndJanino(Compilation compilation,
      String factory) throws Exception {
    assertThat(compilation).succeededWithoutWarnings();
    long janinoBefore = StageCompiler.compilations();
    List<String> buildTime = run(new CompiledClasses(compilation), true, factory);
    long janinoAfterBuildTimeRun = StageCompiler.compilations();
    List<String> janino = run(new CompiledClasses(compilation, name -> !name.matches(STAGE)),
        false, factory);

    assertThat(janinoAfterBuildTimeRun).as("Janino compilations with build-time stages")
        .isEqualTo(janinoBefore);
    assertThat(StageCompiler.compilations()).isGreaterThan(janinoAfterBuildTimeRun);
    assertThat(janino).containsExactlyInAnyOrderElementsOf(buildTime);
    return buildTime;
  }

  /** {@code factory.over(clicks)}, with the classes of {@code loader} as the application's. */
  private static List<String> run(ClassLoader loader, boolean buildTimeStages, String factory)
      throws Exception {
    Class<?> click = loader.loadClass("shop.Click");
    List<Object> clicks = new ArrayList<>();
    for (String[] c : new String[][] {{"ann", "/shop/cart"}, {"bot7", "/shop/cart"},
        {"bob", "/shop/item"}, {"ann", "/home"}, {"cy", "/shop"}, {"cy", "/shop/cart"}}) {
      clicks.add(click.getConstructor(String.class, String.class, long.class)
          .newInstance(c[0], c[1], clicks.size() * 4_000L));
    }
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try (Sluice engine = Sluice.builder().buildTimeStages(buildTimeStages).build()) {
      Object result = loader.loadClass(factory).getMethod("over", Dataset.class)
          .invoke(null, dataset(engine, clicks, click));
      List<String> rows = new ArrayList<>();
      for (Object row : ((Dataset<?>) result).collectAsList()) {
        rows.add(row.toString());
      }
      return rows;
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Dataset<T> dataset(Sluice engine, List<?> records, Class<T> type) {
    return engine.createDataset((List<T>) records, type);
  }
}
