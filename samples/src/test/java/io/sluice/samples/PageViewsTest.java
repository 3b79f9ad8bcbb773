package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.codegen.StageCompiler;
import org.junit.jupiter.api.Test;

/** The README's main sample runs, prints micro-batch tables, and stops by itself. */
class PageViewsTest {
  @Test
  void printsPageCountsForEachBatchWithBuildTimeStagesAndStops() throws Exception {
    long janinoBefore = StageCompiler.compilations();
    String out = MainOutput.of(() -> PageViews.main(new String[] {"4"}));
    assertThat(out).contains("Batch: 0", "|    page|views|users|", "|    home|");
    assertThat(out).containsPattern("PageViewCounts: \\d+ batches");
    // The annotated query ran on the classes the processor compiled: Janino compiled nothing.
    assertThat(out).contains(
        "io.sluice.samples.PageViewCounts_Stage1 (compiled by javac (build time))",
        "io.sluice.samples.PageViewCounts_Stage2 (compiled by javac (build time))");
    assertThat(StageCompiler.compilations()).isEqualTo(janinoBefore);
  }
}
