package io.sluice.samples.workload;

import io.sluice.annotations.Event;
import io.sluice.annotations.EventTime;

/**
 * An ad event of the reference workloads (WORKLOADS.md): who, which ad, what kind ({@link #VIEW},
 * {@link #CLICK} or {@link #PURCHASE}) and when, in epoch milliseconds. {@link AdEvents} makes
 * them.
 */
@Event
public record AdEvent(long userId, long adId, int eventType, @EventTime long eventTimeMs) {
  public static final int VIEW = 0;
  public static final int CLICK = 1;
  public static final int PURCHASE = 2;
}
