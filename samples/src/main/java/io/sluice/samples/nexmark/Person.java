package io.sluice.samples.nexmark;

import io.sluice.annotations.Event;
import io.sluice.annotations.EventTime;

/**
 * A new person of NEXMark's auction site, with Beam's fields: one in every 50 events. Ids start at
 * {@link NexmarkGenerator#FIRST_PERSON_ID} and grow by one per person; {@code dateTime} is the
 * event time in epoch milliseconds. {@code extra} is Beam's padding, left empty here (see {@link
 * NexmarkGenerator}).
 */
@Event
public record Person(long id, String name, String emailAddress, String creditCard, String city,
    String state, @EventTime long dateTime, String extra) {}
