package io.sluice.differential;

import io.sluice.annotations.StreamQuery;

/** An aggregation read into a record whose components are reordered and widened. */
@StreamQuery(
    from = Order.class,
    groupBy = "customer",
    select = {"customer", "sum(qty) AS total"},
    into = QtyStats.class)
public interface QtyStatsQuery {}
