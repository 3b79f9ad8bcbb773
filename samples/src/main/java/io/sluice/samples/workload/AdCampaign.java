package io.sluice.samples.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * A row of W2's static table (WORKLOADS.md): the campaign an ad belongs to. The mapping is a
 * permutation of the ads followed by a division, so each of the 1,000 campaigns has ten ads, but
 * not W1's ten consecutive ones.
 */
public record AdCampaign(long adId, long campaignId) {
  /** W2's campaign of ad {@code adId}: {@code ((adId * 7919 + 13) % 10_000) / 10}. */
  public static long campaignOf(long adId) {
    return (adId * 7919 + 13) % AdEvents.ADS / 10;
  }

  /** The whole table: one row for each of the 10,000 ads, in ad order. */
  public static List<AdCampaign> table() {
    List<AdCampaign> rows = new ArrayList<>(AdEvents.ADS);
    for (long adId = 0; adId < AdEvents.ADS; adId++) {
      rows.add(new AdCampaign(adId, campaignOf(adId)));
    }
    return rows;
  }
}
