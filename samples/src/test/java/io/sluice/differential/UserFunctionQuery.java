package io.sluice.differential;

import io.sluice.annotations.SqlFunction;
import io.sluice.annotations.StreamQuery;
import java.util.Locale;

/**
 * {@code @SqlFunction}s of every parameter and result kind, primitive and boxed, an overloaded
 * name, a renamed function and functions that return null, called with null arguments too.
 */
@StreamQuery(
    from = Order.class,
    where = "isVip(customer) OR qty >= 0",
    select = {
      "id",
      "twice(id) AS t",
      "twice(qty) AS tq",
      "twice(customer) AS ts",
      "bucket(qty, 3) AS b",
      "scale(price) AS s",
      "isVip(customer) AS vip",
      "initials(customer) AS ini",
      "parity(rating) AS par",
      "tagFor(id) AS tag",
      "safeRatio(price, weight) AS ratio",
      "shout(coupon) AS loud",
      "maybeGift(gift) AS mg"
    })
public final class UserFunctionQuery {
  private UserFunctionQuery() {}

  @SqlFunction
  public static long twice(long x) {
    return x * 2;
  }

  @SqlFunction
  public static double twice(double x) {
    return x * 2;
  }

  @SqlFunction
  public static String twice(String s) {
    return s + s;
  }

  @SqlFunction
  public static int bucket(int value, int size) {
    return Math.floorDiv(value, size);
  }

  @SqlFunction
  public static double scale(double price) {
    return price * 1.1;
  }

  @SqlFunction
  public static boolean isVip(String customer) {
    return customer.startsWith("a");
  }

  /** The first code point, upper case; empty for an empty name. */
  @SqlFunction
  public static String initials(String s) {
    return s.isEmpty() ? "" : new String(Character.toChars(s.codePointAt(0)))
        .toUpperCase(Locale.ROOT);
  }

  @SqlFunction
  public static Integer parity(Integer n) {
    return n % 2;
  }

  /** Null for negative ids: a String function's null result is SQL NULL. */
  @SqlFunction
  public static String tagFor(long id) {
    return id < 0 ? null : "T" + id;
  }

  /** Null instead of a division by zero. */
  @SqlFunction
  public static Double safeRatio(double a, double b) {
    return b == 0 ? null : a / b;
  }

  @SqlFunction(name = "shout")
  public static String exclaim(String s) {
    return s + "!";
  }

  @SqlFunction
  public static Boolean maybeGift(Boolean gift) {
    return gift ? Boolean.TRUE : null;
  }
}
