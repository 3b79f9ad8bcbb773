package io.sluice.samples;

import io.sluice.annotations.StreamQuery;

/** Views and distinct visitors per page, bots left out: checked and compiled at build time. */
@StreamQuery(
    from = Click.class,
    where = "user != 'bot'",
    groupBy = "page",
    select = {"page", "count(*) AS views", "count(DISTINCT user) AS users"})
public interface PageViewCounts {}
