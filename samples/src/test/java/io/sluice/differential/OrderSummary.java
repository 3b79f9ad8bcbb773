package io.sluice.differential;

import java.time.Instant;

/** The {@code into} record of {@link OrderSummaries}: components in the query's column order. */
public record OrderSummary(long id, String who, double total, Instant placedAt) {}
