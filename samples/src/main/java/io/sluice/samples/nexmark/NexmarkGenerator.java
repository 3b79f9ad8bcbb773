package io.sluice.samples.nexmark;

import java.util.Locale;

/**
 * NEXMark's event generator as Apache Beam's {@code Generator} and {@code GeneratorConfig} define
 * it, with {@code NexmarkConfiguration}'s defaults: event {@code n} (from 0) is a pure function of
 * {@code n}, so any engine, or a plain loop, sees the same people, auctions and bids.
 *
 * <p>What follows Beam:
 *
 * <ul>
 *   <li>Kinds by {@code n % 50}: 0 a {@link Person}, 1 to 3 an {@link Auction}, 4 to 49 a {@link
 *       Bid} (person:auction:bid = 1:3:46). Person ids are {@code 1000 + n / 50}, auction ids
 *       {@code 1000 + } their count so far; categories 10 to 14.
 *   <li>Event time: {@code 2015-07-15T00:00:00Z + n * 100 µs}, truncated to the millisecond: the
 *       first event rate of 10,000 a second, constant (first and next rates equal), so the times
 *       never decrease ({@code outOfOrderGroupSize} 1) and events are never delayed.
 *   <li>Each event's fields come from Beam's draws, in Beam's order, from a generator seeded with
 *       {@code n} ({@link EventRandom} is {@code java.util.Random}'s algorithm): hot auctions (a
 *       bid goes to the latest multiple-of-100 auction with probability 1/2,
 *       {@code hotAuctionRatio} 2), hot bidders and sellers (3/4, ratio 4), otherwise a random one
 *       of the 1,000 latest people ({@code numActivePeople}, plus 10 ids not yet created) or of
 *       the 100 latest auctions ({@code numInFlightAuctions}, plus 10 ahead); prices log-uniform
 *       from $1 to $1M in cents; auctions last 1 ms to twice the time 1,666 events take (about
 *       333 ms); names, e-mail addresses, card numbers, cities and states from Beam's lists.
 * </ul>
 *
 * <p>Where it departs: it is one generator on one timeline (Beam's {@code numEventGenerators} =
 * 1; Beam's default of 100 interleaves 100 timelines, each 100 times slower, which only
 * reorders ids against times); and the {@code extra} padding that brings Beam's events to 200,
 * 500 and 100 bytes on average is empty, since no query reads it and an in-process engine
 * never serializes it (it comes last in Beam's draws, so no other field changes). The numeric
 * fields should then be Beam's own for the same configuration; this has not been checked
 * against a run of Beam.
 *
 * <pre>{@code
 * Bid first = NexmarkGenerator.bid(NexmarkGenerator.bidEventNumber(0)); // event 4
 * }</pre>
 */
public final class NexmarkGenerator {
  /** Event time of event 0: Beam's base time, 2015-07-15T00:00:00Z, in epoch milliseconds. */
  public static final long BASE_TIME_MS = 1_436_918_400_000L;

  /** Events a second of event time (Beam's {@code firstEventRate}). */
  public static final long EVENTS_PER_SECOND = 10_000;

  public static final long FIRST_PERSON_ID = 1000;
  public static final long FIRST_AUCTION_ID = 1000;
  public static final long FIRST_CATEGORY_ID = 10;

  /** Of every {@link #PROPORTION_DENOMINATOR} events, this many are people, auctions, bids. */
  public static final int PERSON_PROPORTION = 1;

  public static final int AUCTION_PROPORTION = 3;
  public static final int BID_PROPORTION = 46;
  public static final int PROPORTION_DENOMINATOR = 50;

  private static final long INTER_EVENT_DELAY_US = 1_000_000 / EVENTS_PER_SECOND;
  private static final int HOT_AUCTION_RATIO = 2;
  private static final int HOT_BIDDERS_RATIO = 4;
  private static final int HOT_SELLERS_RATIO = 4;
  private static final int HOT_BATCH = 100;
  private static final int ACTIVE_PEOPLE = 1000;
  private static final int IN_FLIGHT_AUCTIONS = 100;
  private static final int ID_LEAD = 10;
  private static final int CATEGORIES = 5;

  private static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
  private static final String[] CITIES = {"Phoenix", "Los Angeles", "San Francisco", "Boise",
      "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"};
  private static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky",
      "Kate", "Julie", "Sarah", "Deiter", "Walter"};
  private static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
      "Walton", "Smith", "Jones", "Noris"};

  private NexmarkGenerator() {}

  /** What an event is. */
  public enum Kind { PERSON, AUCTION, BID }

  public static Kind kind(long n) {
    long rem = n % PROPORTION_DENOMINATOR;
    if (rem < PERSON_PROPORTION) {
      return Kind.PERSON;
    }
    return rem < PERSON_PROPORTION + AUCTION_PROPORTION ? Kind.AUCTION : Kind.BID;
  }

  /** Event time of event {@code n}, epoch milliseconds: one event every 100 µs. */
  public static long eventTime(long n) {
    return BASE_TIME_MS + n * INTER_EVENT_DELAY_US / 1000;
  }

  /** Event number of the {@code i}-th person (from 0). */
  public static long personEventNumber(long i) {
    return i * PROPORTION_DENOMINATOR;
  }

  /** Event number of the {@code i}-th auction (from 0). */
  public static long auctionEventNumber(long i) {
    return i / AUCTION_PROPORTION * PROPORTION_DENOMINATOR + PERSON_PROPORTION
        + i % AUCTION_PROPORTION;
  }

  /** Event number of the {@code i}-th bid (from 0). */
  public static long bidEventNumber(long i) {
    return i / BID_PROPORTION * PROPORTION_DENOMINATOR + PERSON_PROPORTION + AUCTION_PROPORTION
        + i % BID_PROPORTION;
  }

  /** Event {@code n}, which must be a person. */
  public static Person person(long n) {
    expect(n, Kind.PERSON);
    EventRandom random = new EventRandom(n);
    String name = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " "
        + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
    String email = random.nextString(7) + "@" + random.nextString(5) + ".com";
    String card = fourDigits(random) + " " + fourDigits(random) + " " + fourDigits(random) + " "
        + fourDigits(random);
    String city = CITIES[random.nextInt(CITIES.length)];
    String state = STATES[random.nextInt(STATES.length)];
    return new Person(lastPersonId(n) + FIRST_PERSON_ID, name, email, card, city, state,
        eventTime(n), "");
  }

  /** Event {@code n}, which must be an auction. */
  public static Auction auction(long n) {
    expect(n, Kind.AUCTION);
    EventRandom random = new EventRandom(n);
    long seller = random.nextInt(HOT_SELLERS_RATIO) > 0
        ? lastPersonId(n) / HOT_BATCH * HOT_BATCH
        : somePerson(n, random);
    long category = FIRST_CATEGORY_ID + random.nextInt(CATEGORIES);
    long initialBid = random.nextPrice();
    long time = eventTime(n);
    long expires = time + auctionLength(n, random);
    String itemName = random.nextString(20);
    String description = random.nextString(100);
    long reserve = initialBid + random.nextPrice();
    return new Auction(lastAuctionId(n) + FIRST_AUCTION_ID, itemName, description, initialBid,
        reserve, time, expires, seller + FIRST_PERSON_ID, category, "");
  }

  /** Event {@code n}, which must be a bid. */
  public static Bid bid(long n) {
    expect(n, Kind.BID);
    EventRandom random = new EventRandom(n);
    long auction = random.nextInt(HOT_AUCTION_RATIO) > 0
        ? lastAuctionId(n) / HOT_BATCH * HOT_BATCH
        : someAuction(n, random);
    // The second person of the batch, so that hot bidders are not the hot sellers.
    long bidder = random.nextInt(HOT_BIDDERS_RATIO) > 0
        ? lastPersonId(n) / HOT_BATCH * HOT_BATCH + 1
        : somePerson(n, random);
    return new Bid(auction + FIRST_AUCTION_ID, bidder + FIRST_PERSON_ID, random.nextPrice(),
        eventTime(n), "");
  }

  /** Beam's {@code %04d} of a draw below 10,000, without a formatter (a person in 50 needs 4). */
  private static String fourDigits(EventRandom random) {
    int n = random.nextInt(10_000);
    return new String(new char[] {(char) ('0' + n / 1000), (char) ('0' + n / 100 % 10),
        (char) ('0' + n / 10 % 10), (char) ('0' + n % 10)});
  }

  /** The latest person id (from 0) at event {@code n}: its own if it is a person. */
  static long lastPersonId(long n) {
    return n / PROPORTION_DENOMINATOR;
  }

  /** The latest auction id (from 0) at event {@code n}: its own if it is an auction; -1 at 0. */
  static long lastAuctionId(long n) {
    long epoch = n / PROPORTION_DENOMINATOR;
    long offset = n % PROPORTION_DENOMINATOR;
    if (offset < PERSON_PROPORTION) {
      return epoch * AUCTION_PROPORTION - 1;
    }
    return epoch * AUCTION_PROPORTION
        + Math.min(offset - PERSON_PROPORTION, AUCTION_PROPORTION - 1);
  }

  /** One of the active people, or of the next few not yet created (ids from 0). */
  private static long somePerson(long n, EventRandom random) {
    long people = lastPersonId(n) + 1;
    long active = Math.min(people, ACTIVE_PEOPLE);
    return people - active + random.nextLong(active + ID_LEAD);
  }

  /** One of the auctions likely still open, or of the next few (ids from 0). */
  private static long someAuction(long n, EventRandom random) {
    long last = lastAuctionId(n);
    long first = Math.max(last - IN_FLIGHT_AUCTIONS, 0);
    return first + random.nextLong(last - first + 1 + ID_LEAD);
  }

  /**
   * 1 ms to twice the time until {@code numInFlightAuctions} more auctions have come, so that on
   * average that many are open at once.
   */
  private static long auctionLength(long n, EventRandom random) {
    long eventsForAuctions = (long) IN_FLIGHT_AUCTIONS * PROPORTION_DENOMINATOR
        / AUCTION_PROPORTION;
    long horizon = eventTime(n + eventsForAuctions) - eventTime(n);
    return 1 + random.nextLong(Math.max(horizon * 2, 1));
  }

  private static void expect(long n, Kind kind) {
    if (n < 0 || kind(n) != kind) {
      throw new IllegalArgumentException("event " + n + " is not a "
          + kind.name().toLowerCase(Locale.ROOT));
    }
  }
}
