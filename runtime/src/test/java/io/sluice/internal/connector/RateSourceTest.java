package io.sluice.internal.connector;

import static io.sluice.internal.connector.ConnectorTestSupport.offset;
import static io.sluice.internal.connector.ConnectorTestSupport.options;
import static io.sluice.internal.connector.ConnectorTestSupport.read;
import static io.sluice.internal.connector.ConnectorTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Clock;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The rate source's offsets, rows and timestamps, driven by a manual clock. */
class RateSourceTest {
  private static final long T0 = 1_700_000_000_000L;

  /** A clock that moves only when the test says so. */
  private static final class ManualClock implements Clock {
    long millis = T0;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public void waitUntil(long targetMillis) {}
  }

  private final ManualClock clock = new ManualClock();

  private RateSource rate(String... options) {
    return new RateSource(options(options), clock);
  }

  private static long[] dueAfterSeconds(RateSchedule schedule, int seconds) {
    return LongStream.rangeClosed(0, seconds).map(schedule::rowsDueAfter).toArray();
  }

  @Test
  void hasSparksSchema() {
    assertThat(rate().schema().toString())
        .isEqualTo("(timestamp TIMESTAMP NOT NULL, value BIGINT NOT NULL)");
    assertThat(rate("rowsPerSecond", "5").description())
        .isEqualTo("RateSource[rowsPerSecond=5, rampUpTimeSeconds=0]");
  }

  @Test
  void offsetsCountWholeSecondsTimesTheRate() {
    RateSource source = rate("rowsPerSecond", "3");

    assertThat(source.latestOffset(null)).isNull();
    clock.millis = T0 + 999;
    assertThat(source.latestOffset(null)).isNull();
    clock.millis = T0 + 1000;
    Offset first = source.latestOffset(null);
    assertThat(first).isEqualTo(offset(3));
    clock.millis = T0 + 2500;
    assertThat(source.latestOffset(first)).isEqualTo(offset(6));
  }

  @Test
  void rowsHaveConsecutiveValuesAndTimestampsSpreadAcrossTheirSecond() {
    RateSource source = rate("rowsPerSecond", "4");
    source.latestOffset(null);
    clock.millis = T0 + 2000;
    Offset end = source.latestOffset(null);

    assertThat(read(source, offset(2), end))
        .containsExactly(
            row(T0 + 500, 2L),
            row(T0 + 750, 3L),
            row(T0 + 1000, 4L),
            row(T0 + 1250, 5L),
            row(T0 + 1500, 6L),
            row(T0 + 1750, 7L));
  }

  @Test
  void defaultRateIsOneRowPerSecond() {
    RateSource source = rate();
    source.latestOffset(null);
    clock.millis = T0 + 3000;

    assertThat(source.latestOffset(null)).isEqualTo(offset(3));
    assertThat(read(source, null, offset(3)))
        .containsExactly(row(T0, 0L), row(T0 + 1000, 1L), row(T0 + 2000, 2L));
  }

  @Test
  void rampUpIncreasesTheRateLinearlyAsSparkDoes() {
    RateSchedule schedule = new RateSchedule(10, 4);

    assertThat(dueAfterSeconds(schedule, 6)).containsExactly(0, 2, 6, 12, 20, 30, 40);
    assertThat(LongStream.range(0, 6).map(schedule::rate).toArray())
        .containsExactly(2, 4, 6, 8, 10, 10);
  }

  @Test
  void rampUpOffsetsAndTimestamps() {
    RateSource source = rate("rowsPerSecond", "10", "rampUpTime", "4s");
    source.latestOffset(null);
    clock.millis = T0 + 2000;
    Offset end = source.latestOffset(null);

    assertThat(end).isEqualTo(offset(6));
    // Second 0 generates 2 rows (500 ms apart), second 1 generates 4 (250 ms apart).
    assertThat(read(source, null, end))
        .containsExactly(
            row(T0, 0L),
            row(T0 + 500, 1L),
            row(T0 + 1000, 2L),
            row(T0 + 1250, 3L),
            row(T0 + 1500, 4L),
            row(T0 + 1750, 5L));
    clock.millis = T0 + 5000;
    assertThat(source.latestOffset(end)).isEqualTo(offset(30));
    assertThat(read(source, offset(20), offset(22)))
        .containsExactly(row(T0 + 4000, 20L), row(T0 + 4100, 21L));
  }

  @Test
  void timestampsWrittenInBulkAreEachRowsOwn() {
    // Rates below, at and above 1,000 a second, with and without a ramp-up; runs that start in
    // the ramp-up and end after it, and runs that start in the middle of a second.
    for (long[] rateAndRamp : new long[][] {{3, 0}, {7, 2}, {1000, 0}, {1001, 3}, {1_000_000, 0},
        {999_983, 5}}) {
      RateSchedule schedule = new RateSchedule(rateAndRamp[0], rateAndRamp[1]);
      for (long from : new long[] {0, rateAndRamp[0] - 1, 3 * rateAndRamp[0] + 17}) {
        // Two seconds and more, so that each run crosses a second.
        long[] bulk = new long[(int) (2 * rateAndRamp[0] + 100)];
        schedule.offsetsMillis(0, from, bulk, 3, bulk.length - 3);
        for (int k = 3; k < bulk.length; k++) {
          if (bulk[k] != schedule.offsetMillis(from + k - 3)) {
            assertThat(bulk[k]).as("row %d at %d rows a second, ramp-up %d s", from + k - 3,
                rateAndRamp[0], rateAndRamp[1]).isEqualTo(schedule.offsetMillis(from + k - 3));
          }
        }
      }
    }
  }

  @Test
  void aRestartedSourceResumesWithoutGoingBackOrJumpingAhead() {
    clock.millis = T0 + 60_000;
    RateSource restarted = rate("rowsPerSecond", "2");

    Offset resumed = restarted.latestOffset(offset(7));
    assertThat(resumed).isEqualTo(offset(8));
    clock.millis += 1000;
    assertThat(restarted.latestOffset(resumed)).isEqualTo(offset(10));
  }

  @Test
  void readsLargeRangesInChunks() {
    RateSource source = rate("rowsPerSecond", "10000");
    source.latestOffset(null);
    clock.millis = T0 + 2000;
    List<Integer> sizes = new java.util.ArrayList<>();
    source.read(null, source.latestOffset(null), chunk -> sizes.add(chunk.size()));

    assertThat(sizes).containsExactly(8192, 8192, 3616);
  }

  @Test
  void invalidOptionsAreRejected() {
    assertThatThrownBy(() -> rate("rowsPerSecond", "0"))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "[Sluice/InvalidOption] test connector option 'rowsPerSecond' is '0' but must be a"
                + " positive number")
        .extracting(e -> ((SluiceException) e).kind())
        .isEqualTo(ErrorKind.INVALID_OPTION);
    assertThatThrownBy(() -> rate("rowsPerSecond", "fast"))
        .hasMessageContaining("'rowsPerSecond' is 'fast' but must be a whole number");
    assertThatThrownBy(() -> rate("rampUpTime", "-1"))
        .hasMessageContaining("'rampUpTime' is '-1' but must be a whole number of seconds");
    assertThatThrownBy(() -> rate("numPartitions", "0"))
        .hasMessageContaining("'numPartitions' is '0' but must be a positive number");
    assertThat(rate("numPartitions", "8", "rampUpTime", "3").schema()).isEqualTo(RateSource.SCHEMA);
  }
}
