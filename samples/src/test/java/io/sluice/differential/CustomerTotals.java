package io.sluice.differential;

/** The {@code into} record of {@link CustomerTotalsQuery}. */
public record CustomerTotals(String customer, long orders, Double spent) {}
