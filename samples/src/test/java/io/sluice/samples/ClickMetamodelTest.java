package io.sluice.samples;

import static io.sluice.api.Functions.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dataset;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.testkit.QueryTester;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metamodel the processor generates for an @Event type names its columns in code. */
class ClickMetamodelTest {
  @Test
  void theGeneratedSchemaIsTheOneTheEngineReads() {
    try (Sluice engine = Sluice.create()) {
      assertThat(engine.memoryStream(Click.class).toDataset().schema()).isEqualTo(Click_.SCHEMA);
    }
  }

  @Test
  void metamodelColumnsWorkInTheFluentApi() {
    try (Sluice engine = Sluice.create()) {
      MemoryStream<Click> clicks = engine.memoryStream(Click.class);
      Dataset<Row> perPage = clicks.toDataset()
          .filter(Click_.user.notEqual("bot"))
          .groupBy(Click_.page)
          .agg(count(Click_.user).as("views"));
      try (QueryTester t = QueryTester.of(perPage.writeStream().outputMode(OutputMode.UPDATE))) {
        clicks.addData(new Click("ann", "home", 1), new Click("bot", "home", 2),
            new Click("bob", "cart", 3));
        t.expectBatch(List.of("home", 1L), List.of("cart", 1L));
      }
    }
  }
}
