package io.sluice.samples.nexmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.samples.nexmark.NexmarkGenerator.Kind;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The NEXMark generator follows Beam's: kinds, ids, times and draws as a function of n. */
class NexmarkGeneratorTest {
  private static final long EVENTS = 100_000;

  @Test
  void anEventIsAFunctionOfItsNumberAlone() {
    assertThat(NexmarkGenerator.bid(77_777)).isEqualTo(NexmarkGenerator.bid(77_777));
    assertThat(NexmarkGenerator.auction(77_751)).isEqualTo(NexmarkGenerator.auction(77_751));
    assertThat(NexmarkGenerator.person(77_750)).isEqualTo(NexmarkGenerator.person(77_750));
    assertThat(NexmarkGenerator.bid(77_777)).isNotEqualTo(NexmarkGenerator.bid(77_778));
  }

  @Test
  void onePersonThreeAuctionsAndFortySixBidsInEveryFifty() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (long n = 0; n < EVENTS; n++) {
      counts.merge(NexmarkGenerator.kind(n), 1L, Long::sum);
    }
    assertThat(counts).containsEntry(Kind.PERSON, 2_000L).containsEntry(Kind.AUCTION, 6_000L)
        .containsEntry(Kind.BID, 92_000L);
    assertThat(NexmarkGenerator.kind(0)).isEqualTo(Kind.PERSON);
    assertThat(NexmarkGenerator.kind(3)).isEqualTo(Kind.AUCTION);
    assertThat(NexmarkGenerator.kind(4)).isEqualTo(Kind.BID);
  }

  @Test
  void theIthEventOfAKindIsTheIthOfThatKindInTheSequence() {
    long people = 0;
    long auctions = 0;
    long bids = 0;
    for (long n = 0; n < 1_000; n++) {
      switch (NexmarkGenerator.kind(n)) {
        case PERSON -> assertThat(NexmarkGenerator.personEventNumber(people++)).isEqualTo(n);
        case AUCTION -> assertThat(NexmarkGenerator.auctionEventNumber(auctions++)).isEqualTo(n);
        case BID -> assertThat(NexmarkGenerator.bidEventNumber(bids++)).isEqualTo(n);
      }
    }
  }

  @Test
  void askingForTheWrongKindIsAnError() {
    assertThatThrownBy(() -> NexmarkGenerator.bid(50))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("event 50 is not a bid");
  }

  @Nested
  class Time {
    @Test
    void startsAtBeamsBaseTimeWithTenThousandEventsASecond() {
      assertThat(NexmarkGenerator.eventTime(0))
          .isEqualTo(Instant.parse("2015-07-15T00:00:00Z").toEpochMilli());
      assertThat(NexmarkGenerator.eventTime(10_000) - NexmarkGenerator.eventTime(0))
          .isEqualTo(1_000);
      assertThat(NexmarkGenerator.eventTime(19)).isEqualTo(NexmarkGenerator.BASE_TIME_MS + 1);
    }

    @Test
    void neverGoesBackAndEachEventCarriesItsOwn() {
      long before = Long.MIN_VALUE;
      for (long n = 0; n < EVENTS; n++) {
        long time = NexmarkGenerator.eventTime(n);
        assertThat(time).isGreaterThanOrEqualTo(before);
        before = time;
      }
      assertThat(NexmarkGenerator.bid(12_345).dateTime())
          .isEqualTo(NexmarkGenerator.eventTime(12_345));
      assertThat(NexmarkGenerator.auction(12_351).dateTime())
          .isEqualTo(NexmarkGenerator.eventTime(12_351));
    }
  }

  @Nested
  class Ids {
    @Test
    void peopleAndAuctionsAreNumberedInOrderFromAThousand() {
      assertThat(NexmarkGenerator.person(0).id()).isEqualTo(1000);
      assertThat(NexmarkGenerator.person(50).id()).isEqualTo(1001);
      assertThat(NexmarkGenerator.auction(1).id()).isEqualTo(1000);
      assertThat(NexmarkGenerator.auction(3).id()).isEqualTo(1002);
      assertThat(NexmarkGenerator.auction(51).id()).isEqualTo(1003);
    }

    @Test
    void bidsAndSellersReferToRecentOrAboutToComeIdsAndCategoriesAreTenToFourteen() {
      for (long n = 0; n < EVENTS; n++) {
        long people = n / 50 + 1;
        long auctions = (n + 49) / 50 * 3;
        switch (NexmarkGenerator.kind(n)) {
          case BID -> {
            Bid b = NexmarkGenerator.bid(n);
            assertThat(b.bidder() - 1000).isBetween(Math.max(people - 1000, 0), people + 9);
            assertThat(b.auction() - 1000).isBetween(Math.max(auctions - 101, 0), auctions + 9);
            assertThat(b.price()).isBetween(100L, 100_000_000L);
          }
          case AUCTION -> {
            Auction a = NexmarkGenerator.auction(n);
            assertThat(a.seller() - 1000).isBetween(Math.max(people - 1000, 0), people + 9);
            assertThat(a.category()).isBetween(10L, 14L);
            assertThat(a.expires() - a.dateTime()).isBetween(1L, 334L);
            assertThat(a.reserve()).isGreaterThan(a.initialBid());
          }
          case PERSON -> assertThat(NexmarkGenerator.person(n).state())
              .isIn("AZ", "CA", "ID", "OR", "WA", "WY");
        }
      }
    }

    @Test
    void halfTheBidsGoToTheHotAuctionAndThreeQuartersComeFromTheHotBidder() {
      long hotAuction = 0;
      long hotBidder = 0;
      long bids = 0;
      for (long n = 0; n < EVENTS; n++) {
        if (NexmarkGenerator.kind(n) == Kind.BID) {
          Bid b = NexmarkGenerator.bid(n);
          long lastAuction = NexmarkGenerator.lastAuctionId(n);
          hotAuction += b.auction() - 1000 == lastAuction / 100 * 100 ? 1 : 0;
          hotBidder += b.bidder() - 1000 == NexmarkGenerator.lastPersonId(n) / 100 * 100 + 1
              ? 1 : 0;
          bids++;
        }
      }
      // Random picks land on the hot ones now and then (often early on, when there are few
      // auctions to pick from), so a little over 1/2 and 3/4.
      assertThat((double) hotAuction / bids).isBetween(0.50, 0.53);
      assertThat((double) hotBidder / bids).isBetween(0.75, 0.76);
    }
  }

  @Nested
  class Draws {
    @Test
    void areJavaUtilRandomsForTheSameSeed() {
      for (long seed : new long[] {0, 1, 4, 12_345, 1L << 40}) {
        Random expected = new Random(seed);
        EventRandom actual = new EventRandom(seed);
        for (int k = 0; k < 100; k++) {
          assertThat(actual.nextInt(13)).isEqualTo(expected.nextInt(13));
          assertThat(actual.nextInt(16)).isEqualTo(expected.nextInt(16));
          assertThat(actual.nextInt()).isEqualTo(expected.nextInt());
          assertThat(actual.nextDouble()).isEqualTo(expected.nextDouble());
        }
      }
    }

    @Test
    void peopleGetBeamsNamesAndFourGroupsOfCardDigits() {
      Set<String> names = new HashSet<>();
      for (long n = 0; n < EVENTS; n += 50) {
        Person p = NexmarkGenerator.person(n);
        names.add(p.name().split(" ")[0]);
        assertThat(p.creditCard()).matches("\\d{4} \\d{4} \\d{4} \\d{4}");
        assertThat(p.emailAddress()).endsWith(".com").contains("@");
      }
      assertThat(names).containsExactlyInAnyOrder("Peter", "Paul", "Luke", "John", "Saul",
          "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter");
    }
  }
}
