package io.sluice.differential;

/**
 * The {@code into} record of {@link QtyStatsQuery}: its components are in another order than the
 * query's columns, and {@code total} is a DOUBLE where the query computes a BIGINT.
 */
public record QtyStats(double total, String customer) {}
