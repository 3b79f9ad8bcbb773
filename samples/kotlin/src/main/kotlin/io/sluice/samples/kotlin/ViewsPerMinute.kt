package io.sluice.samples.kotlin

import io.sluice.annotations.StreamQuery
import io.sluice.annotations.Watermark

/**
 * Views per page and minute of event time, bots left out, declared in Kotlin: the watermark trails
 * the latest [Click.ts] (the property marked `@EventTime`) by ten seconds, and each minute is
 * written once, in append mode, when the watermark passes its end.
 */
@StreamQuery(
    from = Click::class,
    watermark = Watermark(delay = "10 seconds"),
    where = "user NOT LIKE 'bot-%'",
    groupBy = ["window(ts, '1 minute')", "page"],
    select = ["window.start AS minute", "page", "count(*) AS views"],
)
interface ViewsPerMinute
