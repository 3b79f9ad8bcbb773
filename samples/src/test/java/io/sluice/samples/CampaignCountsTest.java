package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Sluice;
import io.sluice.samples.workload.AdCampaign;
import io.sluice.samples.workload.AdEvents;
import io.sluice.samples.workload.WindowCountSink;
import io.sluice.samples.workload.WindowCounts;
import io.sluice.samples.workload.WindowCounts.Window;
import io.sluice.samples.workload.WorkloadRunner;
import org.junit.jupiter.api.Test;

/**
 * W2 run by the engine over the first 400,000 events (40 seconds of event time), in append mode,
 * against the same count made in plain Java ({@link WindowCounts}): after the last batch without
 * data, the sink has exactly the windows the final watermark closed, each once.
 */
class CampaignCountsTest {
  private static final long EVENTS = 400_000;
  private static final long START = AdEvents.START_MS;
  private static final WindowCounts EXPECTED = WindowCounts.of(EVENTS, AdCampaign::campaignOf);

  private static WindowCountSink run(long eventsPerBatch) {
    WindowCountSink sink = WindowCountSink.recording();
    // Two state partitions, as a test has little state.
    WorkloadRunner.run(Sluice.builder().statePartitions(2), CampaignCounts::over, EVENTS,
        eventsPerBatch, sink);
    return sink;
  }

  @Test
  void writesEveryClosedWindowOnceWithItsViews() {
    WindowCountSink sink = run(100_000);
    // The latest view is at START + 39,963 ms: the watermark, 5 s behind, has closed the windows
    // up to [START + 20 s, START + 30 s), and [START - 10 s, START) of the early events.
    assertThat(sink.rows()).isEqualTo(EXPECTED.rows()).isEqualTo(3_968);
    assertThat(sink.sumOfCounts()).isEqualTo(EXPECTED.sumOfCounts()).isEqualTo(103_295);
    assertThat(sink.windows()).isEqualTo(EXPECTED.windows());
    // Event 0, a view of ad 5,919 (campaign 257) 849 ms before the start, is in the first.
    assertThat(sink.windows()).containsEntry(new Window(START - 10_000, 257), 5L)
        .containsEntry(new Window(START, 257), 49L)
        .doesNotContainKey(new Window(START + 30_000, 257));
  }

  @Test
  void theBatchesDoNotChangeTheAnswer() {
    // One batch, then the batch without data that closes the windows.
    WindowCountSink sink = run(EVENTS);
    assertThat(sink.windows()).isEqualTo(EXPECTED.windows());
  }

  @Test
  void mainPrintsTheClosedWindowsAndTheirViews() throws Exception {
    String out = MainOutput.of(() -> CampaignCounts.main(new String[] {"400000", "200000"}));
    assertThat(out)
        .containsPattern("campaign-counts: 400,000 events in \\d+ batches, [\\d,]+ ms: 3,968"
            + " closed windows, 103,295 views")
        .contains("the same as the plain Java count");
  }
}
