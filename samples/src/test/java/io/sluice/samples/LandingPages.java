package io.sluice.samples;

import io.sluice.annotations.StreamQuery;

/** How many users first landed on each page: each user's first click only, ever. */
@StreamQuery(
    from = Click.class,
    dropDuplicates = "user",
    groupBy = "page",
    select = {"page", "count(*) AS newcomers"})
public interface LandingPages {}
