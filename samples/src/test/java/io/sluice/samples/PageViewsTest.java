package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main sample runs, prints micro-batch tables, and stops by itself. */
class PageViewsTest {
  @Test
  void printsPageCountsForEachBatchAndStops() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      PageViews.main(new String[] {"3"});
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("Batch: 0", "|    page|views|users|", "|    home|");
    assertThat(out).containsPattern("page-views: \\d+ batches");
  }
}
