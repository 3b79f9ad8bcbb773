package io.sluice.api;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.fixtures.Click;
import io.sluice.testkit.QueryTester;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void countsPagesAcrossBatches() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      Dataset<Row> counts = clicks.toDataset().filter("page != 'admin'").groupBy(col("page"))
          .agg(count("*").as("views"));
      try (QueryTester tester = QueryTester.of(counts.writeStream().outputMode(OutputMode.UPDATE))) {
        clicks.addData(Click.of("ann", "home", 1), Click.of("bob", "home", 2),
            Click.of("cy", "admin", 3));
        tester.expectBatch(List.of("home", 2L));
        clicks.addData(Click.of("ann", "cart", 4), Click.of("ann", "home", 5));
        tester.expectBatch(List.of("home", 3L), List.of("cart", 1L));
        assertThat(tester.generatedSource()).contains("implements AggregationStage");
      }
    }
  }
}
