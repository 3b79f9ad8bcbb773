package io.sluice.internal.connector;

/**
 * How many rows the rate source generates in each second, and when each row was generated.
 *
 * <p>Second {@code k} (the {@code k}-th whole second after the start, from 0) generates {@code
 * rate(k)} rows. Without ramp-up that is {@code rowsPerSecond} every second. With a ramp-up of
 * {@code T} seconds it is, as in Spark's {@code RateStreamProvider.valueAtSecond}, {@code (k + 1) *
 * delta} for {@code k < T} and {@code rowsPerSecond} after, where {@code delta = rowsPerSecond / (T
 * + 1)} in integer division: with 10 rows per second and {@code T = 4}, seconds 0 to 5 generate 2,
 * 4, 6, 8, 10, 10 rows, and the rows due after 0 to 6 whole seconds are 0, 2, 6, 12, 20, 30, 40.
 * (So a ramp-up longer than {@code rowsPerSecond - 1} seconds generates nothing until it ends,
 * also as in Spark.)
 *
 * <p>Rows are numbered from 0 in order of generation; the value of a row is its number.
 */
final class RateSchedule {
  private final long rowsPerSecond;
  private final long rampUpSeconds;
  private final long delta;

  RateSchedule(long rowsPerSecond, long rampUpSeconds) {
    this.rowsPerSecond = rowsPerSecond;
    this.rampUpSeconds = rampUpSeconds;
    this.delta = rowsPerSecond / (rampUpSeconds + 1);
  }

  /** The rows generated in second {@code k}. */
  long rate(long k) {
    return k < rampUpSeconds ? (k + 1) * delta : rowsPerSecond;
  }

  /** The rows generated in the first {@code seconds} whole seconds. */
  long rowsDueAfter(long seconds) {
    if (seconds <= rampUpSeconds) {
      // delta * seconds * (seconds + 1) / 2, halving the even factor first to stay exact.
      return seconds % 2 == 0
          ? Math.multiplyExact(Math.multiplyExact(delta, seconds / 2), seconds + 1)
          : Math.multiplyExact(Math.multiplyExact(delta, (seconds + 1) / 2), seconds);
    }
    return Math.addExact(
        rowsDueAfter(rampUpSeconds),
        Math.multiplyExact(seconds - rampUpSeconds, rowsPerSecond));
  }

  /** The first second by whose end {@code rows} rows are due. */
  long secondsUntil(long rows) {
    long rampRows = rowsDueAfter(rampUpSeconds);
    if (rows > rampRows) {
      long after = rows - rampRows;
      return rampUpSeconds + (after + rowsPerSecond - 1) / rowsPerSecond;
    }
    long low = 0;
    long high = rampUpSeconds;
    while (low < high) {
      long mid = (low + high) >>> 1;
      if (rowsDueAfter(mid) >= rows) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Milliseconds from the start to when row {@code value} was generated. */
  long offsetMillis(long value) {
    long rampRows = rowsDueAfter(rampUpSeconds);
    long second;
    long index;
    if (value >= rampRows) {
      second = rampUpSeconds + (value - rampRows) / rowsPerSecond;
      index = (value - rampRows) % rowsPerSecond;
    } else {
      // Row `value` is generated in the last second whose start has fewer rows due than value + 1.
      second = secondsUntil(value + 1) - 1;
      index = value - rowsDueAfter(second);
    }
    // Spread evenly across the second: index * 1000 / rate, with rate >= 1 as a row exists.
    return second * 1000 + index * 1000 / rate(second);
  }

  /**
   * Writes {@code base} plus {@link #offsetMillis} of rows {@code from} to {@code from + count -
   * 1} into {@code out} from {@code at}: after the ramp-up by stepping through each second
   * instead of dividing for every row.
   */
  void offsetsMillis(long base, long from, long[] out, int at, int count) {
    long rampRows = rowsDueAfter(rampUpSeconds);
    int k = 0;
    for (; k < count && from + k < rampRows; k++) {
      out[at + k] = base + offsetMillis(from + k);
    }
    if (k == count) {
      return;
    }
    long after = from + k - rampRows;
    long second = rampUpSeconds + after / rowsPerSecond;
    long index = after % rowsPerSecond;
    // Row `index` of its second is at index * 1000 / rowsPerSecond ms: millis, and the remainder.
    long millis = index * 1000 / rowsPerSecond;
    long remainder = index * 1000 % rowsPerSecond;
    for (; k < count; k++) {
      out[at + k] = base + second * 1000 + millis;
      if (++index == rowsPerSecond) {
        second++;
        index = 0;
        millis = 0;
        remainder = 0;
      } else {
        remainder += 1000;
        while (remainder >= rowsPerSecond) {
          remainder -= rowsPerSecond;
          millis++;
        }
      }
    }
  }
}
