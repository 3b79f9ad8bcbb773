package io.sluice.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.OutputMode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #3's differential corpus: each annotated query runs on the stage classes javac compiled at
 * build time and on the same stages compiled by Janino at run time, over the same input in three
 * batches; every batch must hold the same rows (as a multiset, doubles compared bit for bit).
 */
class DifferentialCorpusTest {
  static Stream<Corpus.Query> queries() {
    return Corpus.QUERIES.stream().map(Corpus.Query::of);
  }

  static Stream<Corpus.Query> completeModeQueries() {
    return Corpus.COMPLETE_MODE.stream().map(Corpus.Query::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void buildTimeAndJaninoStagesWriteTheSameBatches(Corpus.Query query) {
    OutputMode mode = query.aggregates() ? OutputMode.UPDATE : OutputMode.APPEND;
    assertSameBatches(query, mode);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("completeModeQueries")
  void sameResultTablesInCompleteMode(Corpus.Query query) {
    assertSameBatches(query, OutputMode.COMPLETE);
  }

  private static void assertSameBatches(Corpus.Query query, OutputMode mode) {
    CorpusRunner.Result buildTime = CorpusRunner.run(query, true, mode);
    CorpusRunner.Result janino = CorpusRunner.run(query, false, mode);

    assertThat(buildTime.janinoCompilations())
        .as("Janino compilations of %s with build-time stages", query).isZero();
    assertThat(janino.janinoCompilations())
        .as("Janino compilations of %s with buildTimeStages(false)", query)
        .isEqualTo(query.stages());
    assertThat(buildTime.rowCount()).as("rows written by %s", query).isPositive();
    for (int b = 0; b < Inputs.BATCHES; b++) {
      assertThat(janino.batches().get(b))
          .as("%s, %s mode, batch %d: Janino rows vs build-time rows", query, mode, b)
          .containsExactlyInAnyOrderElementsOf(buildTime.batches().get(b));
    }
  }
}
