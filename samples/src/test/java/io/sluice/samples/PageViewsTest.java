package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.codegen.StageCompiler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main sample runs, prints micro-batch tables, and stops by itself. */
class PageViewsTest {
  @Test
  void printsPageCountsForEachBatchWithBuildTimeStagesAndStops() throws Exception {
    long janinoBefore = StageCompiler.compilations();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      PageViews.main(new String[] {"4"});
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("Batch: 0", "|    page|views|users|", "|    home|");
    assertThat(out).containsPattern("PageViewCounts: \\d+ batches");
    // The annotated query ran on the classes the processor compiled: Janino compiled nothing.
    assertThat(out).contains(
        "io.sluice.samples.PageViewCounts_Stage1 (compiled by javac (build time))",
        "io.sluice.samples.PageViewCounts_Stage2 (compiled by javac (build time))");
    assertThat(StageCompiler.compilations()).isEqualTo(janinoBefore);
  }
}
