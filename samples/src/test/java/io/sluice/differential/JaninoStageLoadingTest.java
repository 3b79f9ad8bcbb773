package io.sluice.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dataset;
import io.sluice.api.MemoryStream;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.testkit.QueryTester;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stages Janino compiles for an annotated query run even though a build-time class of the same
 * name is on the class path: they are defined from Janino's bytes, not looked up through the
 * engine's class loader (which would find javac's class first).
 */
class JaninoStageLoadingTest {
  /** With build-time stages off, Janino's classes run, not javac's of the same name. */
  @Test
  void theCorpusJaninoEngineRunsTheClassesJaninoCompiled() {
    try (Sluice engine = CorpusRunner.engine(false)) {
      assertThat(filteredOut(engine)).isEmpty();
    }
  }

  /**
   * A filter before the query changes the first stage, so its digest no longer matches the
   * build-time class and Janino compiles one of the same name: that one must run.
   */
  @Test
  void aFilterBeforeAnAnnotatedQueryIsApplied() {
    try (Sluice engine = Sluice.create()) {
      assertThat(filteredOut(engine)).isEmpty();
    }
  }

  /** WhereOnly over orders none of which passes a filter applied before the query. */
  private static List<Row> filteredOut(Sluice engine) {
    MemoryStream<Order> orders = engine.memoryStream(Order.class);
    Dataset<Row> rows = orders.toDataset().filter("qty > 100")
        .query(ScalarQueries.WhereOnly.class);
    try (QueryTester tester = QueryTester.of(rows.writeStream().outputMode(OutputMode.APPEND))) {
      orders.addData(Inputs.orders());
      return tester.runBatch();
    }
  }
}
