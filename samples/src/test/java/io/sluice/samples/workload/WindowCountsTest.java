package io.sluice.samples.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.samples.workload.WindowCounts.Window;
import org.junit.jupiter.api.Test;

/**
 * The plain-Java answer of W1 and W2 against figures from a separate implementation of
 * WORKLOADS.md's formulas (a Python script, with its own SplitMix64 and floor remainders) over
 * the first million events. WORKLOADS.md's own 50M figure for W1, 499,969 closed windows with
 * 16,631,793 views, came out the same too (too slow for a unit test; W2's there: 499,968 and
 * 16,631,793).
 */
class WindowCountsTest {
  private static final long START = AdEvents.START_MS;

  @Test
  void w2OverAMillionEvents() {
    WindowCounts w2 = WindowCounts.of(1_000_000, AdCampaign::campaignOf);
    // The latest view is at START + 99,991 ms, so the watermark is START + 94,991: the windows
    // from [START - 10 s, START), which the disorder reaches, to [START + 80 s, START + 90 s).
    assertThat(w2.rows()).isEqualTo(9_968);
    assertThat(w2.sumOfCounts()).isEqualTo(303_264);
    assertThat(w2.count(new Window(START - 10_000, 257))).isEqualTo(5);
    assertThat(w2.count(new Window(START, 257))).isEqualTo(49);
    assertThat(w2.count(new Window(START + 30_000, 0))).isEqualTo(36);
    assertThat(w2.count(new Window(START + 30_000, 999))).isEqualTo(37);
    assertThat(w2.count(new Window(START + 90_000, 257))).as("still open").isZero();
  }

  @Test
  void w1OverAMillionEvents() {
    WindowCounts w1 = WindowCounts.of(1_000_000, adId -> adId / 10);
    assertThat(w1.rows()).isEqualTo(9_969);
    assertThat(w1.sumOfCounts()).isEqualTo(303_264);
    assertThat(w1.count(new Window(START - 10_000, 257))).isEqualTo(4);
    assertThat(w1.count(new Window(START + 30_000, 999))).isEqualTo(43);
  }

  @Test
  void w2sCampaignsAreTenAdsEach() {
    assertThat(AdCampaign.campaignOf(5_919)).as("(5919 * 7919 + 13) mod 10,000 = 2,574")
        .isEqualTo(257);
    assertThat(AdCampaign.table()).hasSize(10_000);
    assertThat(AdCampaign.table().stream().mapToLong(AdCampaign::campaignId).distinct().count())
        .isEqualTo(1_000);
  }
}
