package io.sluice.differential;

import io.sluice.annotations.SqlFunction;
import io.sluice.annotations.StreamQuery;

/** {@code @SqlFunction}s in a grouping key, inside aggregates and in having. */
@StreamQuery(
    from = Order.class,
    groupBy = "band(qty)",
    select = {
      "band(qty) AS band",
      "sum(weigh(price, qty)) AS weighted",
      "count(DISTINCT label(customer)) AS labels",
      "max(label(customer)) AS maxLabel"
    },
    having = "positive(weighted) OR band = 'neg'")
public final class UserFunctionAggregation {
  private UserFunctionAggregation() {}

  @SqlFunction
  public static String band(int qty) {
    return qty < 0 ? "neg" : qty < 3 ? "low" : "high";
  }

  @SqlFunction
  public static double weigh(double price, int qty) {
    return price * qty;
  }

  @SqlFunction
  public static boolean positive(double x) {
    return x > 0;
  }

  /** Null for an empty name. */
  @SqlFunction
  public static String label(String customer) {
    return customer.isEmpty() ? null : customer.trim().toLowerCase(java.util.Locale.ROOT);
  }
}
