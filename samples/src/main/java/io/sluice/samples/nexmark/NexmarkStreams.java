package io.sluice.samples.nexmark;

import io.sluice.api.Dataset;
import io.sluice.api.Sluice;

/**
 * The NEXMark events as three generated streams of one engine, one per kind, that advance
 * together: each second of the engine's clock makes the next {@code eventsPerSecond} event
 * numbers due, so the people, auctions and bids of a batch are the events of one stretch of
 * {@link NexmarkGenerator}'s sequence. The {@code i}-th row of the bid stream is the event
 * {@link NexmarkGenerator#bidEventNumber bidEventNumber(i)}, and so on.
 *
 * <p>Three streams, not one stream of a union type, so that each query reads records of the kind
 * it wants with their own columns, and a query of bids alone makes no people or auctions: Beam's
 * queries start by filtering the kind they want from the one stream of events, which this skips.
 *
 * <pre>{@code
 * NexmarkStreams events = NexmarkStreams.of(engine, 100_000);
 * Dataset<Row> q2 = Query2.over(events);
 * }</pre>
 */
public record NexmarkStreams(Dataset<Person> people, Dataset<Auction> auctions,
    Dataset<Bid> bids) {

  /**
   * Streams whose every clock second brings {@code eventsPerSecond} more event numbers, a
   * multiple of {@link NexmarkGenerator#PROPORTION_DENOMINATOR}.
   */
  public static NexmarkStreams of(Sluice engine, long eventsPerSecond) {
    if (eventsPerSecond <= 0 || eventsPerSecond % NexmarkGenerator.PROPORTION_DENOMINATOR != 0) {
      throw new IllegalArgumentException("events a second must be a positive multiple of "
          + NexmarkGenerator.PROPORTION_DENOMINATOR + ", got " + eventsPerSecond);
    }
    long blocks = eventsPerSecond / NexmarkGenerator.PROPORTION_DENOMINATOR;
    return new NexmarkStreams(
        engine.readStream().option("rowsPerSecond", blocks * NexmarkGenerator.PERSON_PROPORTION)
            .generate(Person.class,
                (i, ts) -> NexmarkGenerator.person(NexmarkGenerator.personEventNumber(i))),
        engine.readStream().option("rowsPerSecond", blocks * NexmarkGenerator.AUCTION_PROPORTION)
            .generate(Auction.class,
                (i, ts) -> NexmarkGenerator.auction(NexmarkGenerator.auctionEventNumber(i))),
        engine.readStream().option("rowsPerSecond", blocks * NexmarkGenerator.BID_PROPORTION)
            .generate(Bid.class,
                (i, ts) -> NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(i))));
  }
}
