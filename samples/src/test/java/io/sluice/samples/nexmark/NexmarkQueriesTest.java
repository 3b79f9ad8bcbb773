package io.sluice.samples.nexmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Sluice;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each NEXMark query, run by the engine over the first 300,000 events (30 seconds of event time)
 * in six batches, writes exactly the rows of its plain-Java answer ({@link NexmarkAnswers}), each
 * once (for q4, in update mode, its result table ends as that answer): the engine's meaning of
 * the query is Beam's.
 */
class NexmarkQueriesTest {
  private static final long EVENTS = 300_000;
  private static final long PER_BATCH = 50_000;

  @ParameterizedTest
  @EnumSource(NexmarkQuery.class)
  void writesTheRowsOfThePlainJavaAnswer(NexmarkQuery query) {
    ResultSink sink = ResultSink.recording(query);
    // Two state partitions, as a test has little state.
    NexmarkRunner.run(Sluice.builder().statePartitions(2), query, EVENTS, PER_BATCH, sink);
    List<List<Object>> expected = query.expected(EVENTS);
    assertThat(expected).isNotEmpty();
    // As multisets: the rows in any order, each as often as expected.
    assertThat(counts(sink.rows())).isEqualTo(counts(expected));
    assertThat(sink.answer()).isEqualTo(Answer.of(expected));
  }

  private static Map<List<Object>, Long> counts(List<List<Object>> rows) {
    return rows.stream().collect(Collectors.groupingBy(r -> r, Collectors.counting()));
  }
}
