package io.sluice.benchmarks;

import io.sluice.annotations.StreamQuery;

/** Visits and visitors per page: the query whose start-up the benchmark measures. */
@StreamQuery(
    from = Visit.class,
    where = "user != 'bot'",
    groupBy = "page",
    select = {"page", "count(*) AS visits", "count(DISTINCT user) AS visitors"})
public interface VisitCounts {}
