package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Sluice;
import io.sluice.samples.workload.AdEvents;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WindowCounts;
import io.sluice.samples.workload.WindowCounts.Window;
import io.sluice.samples.workload.WorkloadRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * W1 run by the engine over the first 400,000 events, in append mode, against the same count made
 * in plain Java ({@link WindowCounts}): after the last batch without data, the sink has exactly
 * the windows the final watermark closed, each once, with or without a checkpoint.
 */
class ViewCountsTest {
  private static final long EVENTS = 400_000;
  private static final long START = AdEvents.START_MS;
  private static final WindowCounts EXPECTED = WindowCounts.of(EVENTS, ViewCounts::campaignOf);

  @TempDir Path temp;

  private static WindowCountSink run(long eventsPerBatch, @Nullable Path checkpoint) {
    WindowCountSink sink = WindowCountSink.recording();
    WorkloadRunner.run(Sluice.builder().statePartitions(2), ViewCounts::over, EVENTS,
        eventsPerBatch, sink, checkpoint);
    return sink;
  }

  @Test
  void writesEveryClosedWindowOnceWithItsViews() {
    WindowCountSink sink = run(100_000, null);
    assertThat(sink.rows()).isEqualTo(EXPECTED.rows()).isEqualTo(3_969);
    assertThat(sink.sumOfCounts()).isEqualTo(EXPECTED.sumOfCounts()).isEqualTo(103_295);
    assertThat(sink.windows()).isEqualTo(EXPECTED.windows());
    // Event 0, a view of ad 5,919 849 ms before the start, counts for campaign 591.
    assertThat(sink.windows()).containsKey(new Window(START - 10_000, 591))
        .doesNotContainKey(new Window(START + 30_000, 591));
  }

  @Test
  void aCheckpointedRunWritesTheSameWindowsAndLogsEveryBatch() throws Exception {
    Path checkpoint = temp.resolve("checkpoint");
    WindowCountSink sink = run(100_000, checkpoint);
    assertThat(sink.windows()).isEqualTo(EXPECTED.windows());
    try (var commits = Files.list(checkpoint.resolve("commits"))) {
      assertThat(commits.map(f -> f.getFileName().toString())).contains("0", "4");
    }
  }

  @Test
  void mainPrintsTheClosedWindowsAndTheirViews() throws Exception {
    String out = MainOutput.of(() -> ViewCounts.main(new String[] {"400000", "200000"}));
    assertThat(out)
        .containsPattern("view-counts: 400,000 events in \\d+ batches, [\\d,]+ ms: 3,969"
            + " closed windows, 103,295 views")
        .contains("the same as the plain Java count");
  }
}
