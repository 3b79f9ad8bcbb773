package io.sluice.differential;

import io.sluice.annotations.StreamQuery;

/** An aggregation read into a record. */
@StreamQuery(
    from = Order.class,
    groupBy = "customer",
    select = {"customer", "count(*) AS orders", "sum(price) AS spent"},
    into = CustomerTotals.class)
public interface CustomerTotalsQuery {}
