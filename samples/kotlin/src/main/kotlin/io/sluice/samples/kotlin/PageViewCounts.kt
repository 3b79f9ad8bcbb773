package io.sluice.samples.kotlin

import io.sluice.annotations.StreamQuery

/**
 * Views, visitors and mean duration per page, bots left out, declared in Kotlin: kapt runs the
 * Sluice annotation processor on it, which checks the expressions against [Click] and generates
 * `PageViewCounts_Query` and the stage classes that run it, so nothing is compiled at start.
 */
@StreamQuery(
    from = Click::class,
    where = "user NOT LIKE 'bot-%'",
    groupBy = ["page"],
    select = ["page", "count(*) AS views", "count(DISTINCT user) AS users",
        "avg(durationMs) / 1000.0 AS meanSeconds"],
)
interface PageViewCounts
