package io.sluice.differential;

import io.sluice.annotations.StreamQuery;

/** A projection read into a record, with an explicit query name. */
@StreamQuery(
    from = Order.class,
    where = "qty > 0",
    select = {"id", "coalesce(customer, '?') AS who", "price * qty AS total", "placedAt"},
    into = OrderSummary.class,
    name = "order-summaries")
public interface OrderSummaries {}
