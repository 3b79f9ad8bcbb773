package io.sluice.differential;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The corpus input: for each event type a fixed list of 45 records, fed in three batches of 15.
 * Nulls in every nullable column, and the edges that tell implementations apart: zero, negative
 * numbers (truncating DIV and %), -0.0 and NaN, an empty string, spaces, non-ASCII and a
 * character outside the BMP, a timestamp before 1970 and fractions of a second.
 *
 * <p>Values stay clear of what ANSI mode turns into errors in the corpus's queries (overflow,
 * division by zero, unparsable casts): a failing batch would prove nothing about either path.
 */
final class Inputs {
  static final int BATCHES = 3;
  static final int PER_BATCH = 15;
  static final Instant EPOCH_2024 = Instant.parse("2024-01-01T00:00:00Z");

  private static final String[] CUSTOMERS =
      {"ann", "bob", null, "carol", "  eve ", "", "Ann", "zoë", "o'neil", "😀dan"};
  private static final String[] COUPONS = {"SAVE10", "SAVE5", "FREESHIP", "save10", "SAVE_1"};
  private static final String[] RAW = {"12", " 7 ", "-3", "2.5", null, "0", "1", "1e2"};
  private static final String[] URLS = {"/home", "/cart", "/p/1", "/p/2", null};

  private Inputs() {}

  static List<Order> orders() {
    return generate(Inputs::order);
  }

  static List<Reading> readings() {
    return generate(Inputs::reading);
  }

  static List<Visit> visits() {
    return generate(Inputs::visit);
  }

  /** The records of {@code type}, whichever event type of the corpus it is. */
  static List<?> of(Class<?> type) {
    if (type == Order.class) {
      return orders();
    } else if (type == Reading.class) {
      return readings();
    } else if (type == Visit.class) {
      return visits();
    }
    throw new IllegalArgumentException("no corpus input for " + type);
  }

  /** Batch {@code b} (0-based) of {@code records}. */
  static <T> List<T> batch(List<T> records, int b) {
    return records.subList(b * PER_BATCH, (b + 1) * PER_BATCH);
  }

  static Order order(int i) {
    long id = i == 0 ? 0L : i % 5 == 4 ? -i : 1000L * i;
    int qty = i % 9 - 2;
    double price = i == 13 ? -0.0 : (i * 37 % 80) * 0.25;
    Instant placed = i == 11 ? Instant.parse("1969-12-31T23:59:59.500Z")
        : EPOCH_2024.plus(Duration.ofMinutes(433L * i)).plusMillis(i % 4 * 250L);
    Long discount = i % 4 == 0 ? null : (long) (i * 13 % 50 - 10);
    Integer rating = i % 5 == 2 ? null : i % 6;
    Double weight = i % 6 == 3 ? null : i == 7 ? Double.NaN : i == 8 ? -0.0 : i * 0.5;
    Boolean gift = i % 3 == 0 ? null : i % 2 == 0;
    String coupon = i % 2 == 0 ? null : COUPONS[i % 5];
    Instant shipped = i % 4 == 1 ? null
        : placed.plus(Duration.ofDays(i % 5)).plus(Duration.ofHours(i));
    return new Order(id, qty, price, i % 3 != 1, CUSTOMERS[i % 10], placed, discount, rating,
        weight, gift, coupon, shipped);
  }

  static Reading reading(int i) {
    String device = i % 9 == 0 ? null : "d" + i % 4;
    double value = i == 20 ? Double.NaN : (i % 11 - 5) * 1.5;
    Integer battery = i % 7 == 0 ? null : 100 - 2 * i;
    Boolean ok = i % 5 == 0 ? null : i % 2 == 0;
    return new Reading(device, 1_700_000_000_000L + i * 61_001L, value, battery, ok,
        RAW[i % RAW.length]);
  }

  static Visit visit(int i) {
    Long bytes = i % 4 == 3 ? null : i * 1024L;
    return new Visit("u" + i % 6, URLS[i % 5], EPOCH_2024.plus(Duration.ofSeconds(5407L * i)),
        i * 250 - 1000, bytes, i % 3 == 0);
  }

  private static <T> List<T> generate(IntFunction<T> record) {
    List<T> out = new ArrayList<>();
    for (int i = 0; i < BATCHES * PER_BATCH; i++) {
      out.add(record.apply(i));
    }
    return List.copyOf(out);
  }
}
