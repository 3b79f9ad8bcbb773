package io.sluice.samples.nexmark;

import io.sluice.annotations.Event;
import io.sluice.annotations.EventTime;

/**
 * A new auction, with Beam's fields: three in every 50 events. It is open from {@code dateTime}
 * until {@code expires} (epoch milliseconds), sold by the person {@code seller}, in one of five
 * categories from {@link NexmarkGenerator#FIRST_CATEGORY_ID}; prices are in cents. {@code extra}
 * is Beam's padding, left empty here (see {@link NexmarkGenerator}).
 */
@Event
public record Auction(long id, String itemName, String description, long initialBid,
    long reserve, @EventTime long dateTime, long expires, long seller, long category,
    String extra) {}
