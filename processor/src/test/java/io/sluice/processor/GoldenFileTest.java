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
import static io.sluice.processor.Fixtures.source;

import com.google.testing.compile.Compilation;
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
    assertMatchesGoldens(test, compilation);
  }

  @Test
  void queryReadIntoRecord(TestInfo test) {
    Compilation compilation = compile(CLICK, PAGE_COUNT, PAGE_COUNTS);
    assertMatchesGoldens(test, compilation);
  }

  @Test
  void eventMetamodel(TestInfo test) {
    Compilation compilation = compile(source("shop.Reading", """
        package shop;

        import io.sluice.annotations.Event;
        import io.sluice.annotations.EventTime;
        import java.time.Instant;

        @Event
        public record Reading(
            long id, int channel, double value, boolean valid,
            Long batch, Integer sensor, Double calibrated, Boolean checked,
            String unit, @EventTime Instant at) {}
        """), source("shop.Devices", """
        package shop;

        import io.sluice.annotations.Event;

        public final class Devices {
          private Devices() {}

          @Event
          public record Heartbeat(String device, long ts) {}
        }
        """));
    assertMatchesGoldens(test, compilation);
  }

  private static void assertMatchesGoldens(TestInfo test, Compilation compilation) {
    assertThat(compilation).succeededWithoutWarnings();
    Goldens.assertMatch(test.getTestMethod().orElseThrow().getName(), compilation);
  }
}
