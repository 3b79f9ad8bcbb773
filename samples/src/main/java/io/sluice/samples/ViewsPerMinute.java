package io.sluice.samples;

import io.sluice.annotations.StreamQuery;
import io.sluice.annotations.Watermark;

/**
 * Views per page and minute of event time, bots left out: each minute is written once, in append
 * mode, when the watermark (ten seconds behind the latest click's {@code ts}, the component {@link
 * Click} marks {@code @EventTime}) passes its end; later clicks for it are dropped as late.
 */
@StreamQuery(
    from = Click.class,
    watermark = @Watermark(delay = "10 seconds"),
    where = "user != 'bot'",
    groupBy = {"window(ts, '1 minute')", "page"},
    select = {"window.start AS minute", "page", "count(*) AS views"})
public interface ViewsPerMinute {}
