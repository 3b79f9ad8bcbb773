package io.sluice.samples;

import io.sluice.annotations.StreamQuery;
import io.sluice.annotations.Watermark;

/**
 * The first view of a page by a user: later views of it are dropped until the watermark passes the
 * first one's time plus the delay, when the pair is forgotten, so that state stays bounded.
 */
@StreamQuery(
    from = Click.class,
    watermark = @Watermark(column = "ts", delay = "10 seconds"),
    dropDuplicatesWithinWatermark = {"user", "page"},
    select = {"user", "page", "ts"})
public interface FirstPageViews {}
