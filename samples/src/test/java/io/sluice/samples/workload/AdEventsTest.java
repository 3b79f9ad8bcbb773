package io.sluice.samples.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The generator against values worked out by hand from WORKLOADS.md's formulas. The mixed values
 * are SplitMix64's, shown in hex and as signed longs; the remainders are floor remainders, so a
 * negative mix counts down from the modulus.
 */
class AdEventsTest {
  @Test
  void mixIsSplitMix64() {
    // SplitMix64 seeded with 0 first returns 0xE220A8397B1DCDAF: its state becomes the
    // increment, which is what mix(0) finalizes.
    assertThat(AdEvents.mix(0)).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(AdEvents.mix(1)).isEqualTo(0x910A2DEC89025CC1L);
  }

  @Test
  void eventZero() {
    // adId: mix(0) = -2152535657050944081, floorMod 10,000 = 10,000 - 4,081 = 5,919.
    // userId: mix(0 * 31 + 7) = 7191089600892374487, mod 1,000,000 = 374,487.
    // eventType: mix(0 * 17 + 3) = 2092789425003139053 = 3 * 697596475001046351, a view.
    // eventTimeMs: 0 / 10 = 0; mix(0 * 13 + 1) = -7995527694508729151, floorMod 2,000 = 2,000 -
    // 1,151 = 849 ms early.
    assertThat(AdEvents.event(0))
        .isEqualTo(new AdEvent(374_487, 5_919, AdEvent.VIEW, 1_699_999_999_151L));
  }

  @Test
  void eventOne() {
    // adId: mix(1) = -7995527694508729151, floorMod 10,000 = 10,000 - 9,151 = 849.
    // userId: mix(38) = -1512699648912621904, floorMod 1,000,000 = 1,000,000 - 621,904.
    // eventType: mix(20) = 3900778703475868044 = 3 * 1300259567825289348, a view.
    // eventTimeMs: 1 / 10 = 0; mix(14) = 7685909621375755838, mod 2,000 = 1,838 ms early.
    assertThat(AdEvents.event(1))
        .isEqualTo(new AdEvent(378_096, 849, AdEvent.VIEW, 1_699_999_998_162L));
  }

  @Test
  void laterEventsMoveOneMillisecondPerTenEvents() {
    // Event 123,456,789: 12,345,678 ms after the start, mix(1604938258) mod 2,000 = 1,985 early.
    assertThat(AdEvents.event(123_456_789))
        .isEqualTo(new AdEvent(873_734, 5_897, AdEvent.PURCHASE, 1_700_012_343_693L));
    assertThat(AdEvents.event(2).eventType()).isEqualTo(AdEvent.CLICK);
  }

  @Test
  void fieldsStayInTheirRanges() {
    for (long i = 0; i < 100_000; i++) {
      AdEvent e = AdEvents.event(i);
      assertThat(e.adId()).isBetween(0L, AdEvents.ADS - 1L);
      assertThat(e.userId()).isBetween(0L, AdEvents.USERS - 1L);
      assertThat(e.eventType()).isBetween(AdEvent.VIEW, AdEvent.PURCHASE);
      assertThat(AdEvents.START_MS + i / 10 - e.eventTimeMs()).isBetween(0L, 1_999L);
    }
  }
}
