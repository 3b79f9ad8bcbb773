package io.sluice.differential;

import io.sluice.annotations.StreamQuery;

/**
 * Aggregating queries of the corpus: counts, sums, averages, minima and maxima over every column
 * type that allows them, expressions over aggregates and over grouping keys, global aggregation,
 * having.
 */
public final class AggregateQueries {
  private AggregateQueries() {}

  @StreamQuery(
      from = Order.class,
      groupBy = "customer",
      select = {
        "customer",
        "count(*) AS n",
        "count(coupon) AS coupons",
        "count(DISTINCT rating) AS ratings",
        "count(DISTINCT coupon) AS distinctCoupons"
      })
  public interface CountsPerCustomer {}

  @StreamQuery(
      from = Order.class,
      groupBy = "qty",
      select = {
        "qty",
        "sum(qty) AS sq",
        "sum(id) AS sid",
        "sum(price) AS sp",
        "sum(discount) AS sd",
        "sum(rating) AS sr",
        "sum(weight) AS sw"
      })
  public interface SumsPerQty {}

  @StreamQuery(
      from = Order.class,
      groupBy = "paid",
      select = {
        "paid",
        "avg(qty) AS avgQty",
        "avg(price) AS avgPrice",
        "avg(discount) AS avgDiscount",
        "mean(rating) AS meanRating",
        "min(qty) AS minQty",
        "max(qty) AS maxQty",
        "min(id) AS minId",
        "max(id) AS maxId",
        "min(discount) AS minDiscount",
        "max(discount) AS maxDiscount",
        "min(price) AS minPrice",
        "max(price) AS maxPrice",
        "min(weight) AS minWeight",
        "max(weight) AS maxWeight"
      })
  public interface AvgMinMax {}

  @StreamQuery(
      from = Order.class,
      groupBy = "gift",
      select = {
        "gift",
        "min(customer) AS firstCustomer",
        "max(customer) AS lastCustomer",
        "min(coupon) AS minCoupon",
        "max(coupon) AS maxCoupon",
        "min(placedAt) AS firstPlaced",
        "max(shippedAt) AS lastShipped",
        "min(paid) AS allPaid",
        "max(paid) AS anyPaid",
        "min(gift) AS minGift",
        "max(gift) AS maxGift",
        "count(*) AS n"
      })
  public interface MinMaxOther {}

  @StreamQuery(
      from = Order.class,
      groupBy = "customer",
      select = {
        "customer",
        "sum(qty) * 2 AS doubled",
        "sum(price) / count(*) AS mean",
        "max(qty) - min(qty) AS spread",
        "count(*) > 2 AS busy",
        "coalesce(sum(discount), 0) AS disc",
        "round(avg(price), 2) AS avgPrice",
        "CASE WHEN count(*) > 3 THEN 'many' ELSE 'few' END AS size",
        "upper(customer) AS shout",
        "max(placedAt) - min(placedAt) AS span"
      })
  public interface ExpressionsOverAggregates {}

  @StreamQuery(
      from = Order.class,
      groupBy = {"qty % 3", "upper(customer)"},
      select = {
        "qty % 3 AS bucket",
        "upper(customer) AS who",
        "count(*) AS n",
        "sum(price) AS total",
        "min(id) AS first"
      })
  public interface GroupByExpressions {}

  @StreamQuery(
      from = Order.class,
      groupBy = {"date_format(placedAt, 'yyyy-MM-dd')", "hour(placedAt) < 12"},
      select = {
        "date_format(placedAt, 'yyyy-MM-dd') AS day",
        "hour(placedAt) < 12 AS morning",
        "count(*) AS n",
        "max(placedAt) AS last"
      })
  public interface GroupByTime {}

  @StreamQuery(
      from = Order.class,
      select = {
        "count(*) AS n",
        "count(coupon) AS coupons",
        "sum(qty) AS qty",
        "avg(price) AS avgPrice",
        "min(placedAt) AS first",
        "max(customer) AS lastName",
        "count(DISTINCT customer) AS customers",
        "sum(discount) AS discount"
      })
  public interface GlobalAggregation {}

  @StreamQuery(
      from = Order.class,
      groupBy = "customer",
      select = {"customer", "count(*) AS n", "sum(qty) AS total"},
      having = "n >= 4 AND total > 8")
  public interface HavingFilter {}

  @StreamQuery(
      from = Order.class,
      where = "paid AND coupon IS NOT NULL",
      groupBy = "coupon",
      select = {"coupon", "avg(price) AS avgPrice", "count(*) AS n"},
      having = "avgPrice > 8 OR n = 1",
      name = "coupon-stats")
  public interface WhereGroupHaving {}

  @StreamQuery(
      from = Order.class,
      groupBy = "paid",
      select = {
        "paid",
        "count(DISTINCT qty) AS qtys",
        "count(DISTINCT price) AS prices",
        "count(DISTINCT placedAt) AS times",
        "count(DISTINCT gift) AS gifts",
        "count(DISTINCT customer) AS customers",
        "count(DISTINCT weight) AS weights",
        "count(DISTINCT discount) AS discounts"
      })
  public interface DistinctCounts {}

  @StreamQuery(
      from = Order.class,
      groupBy = "coupon IS NULL",
      select = {
        "coupon IS NULL AS noCoupon",
        "sum(qty * price) AS revenue",
        "max(length(customer)) AS longest",
        "sum(CAST(paid AS INT)) AS paidCount",
        "avg(coalesce(rating, 0)) AS avgRating",
        "count(nullif(qty, 0)) AS nonZero"
      })
  public interface AggregatesOfExpressions {}

  @StreamQuery(
      from = Reading.class,
      groupBy = "device",
      select = {
        "device",
        "count(*) AS n",
        "avg(value) AS avgValue",
        "min(battery) AS minBattery",
        "max(ts) AS lastTs",
        "sum(CASE WHEN ok THEN 1 ELSE 0 END) AS oks",
        "count(ok) AS known",
        "max(value) AS peak"
      })
  public interface ReadingStats {}

  @StreamQuery(
      from = Visit.class,
      groupBy = "url",
      select = {
        "url",
        "count(DISTINCT user) AS users",
        "sum(durationMs) AS duration",
        "sum(bytes) AS bytes",
        "max(at) AS lastAt",
        "min(mobile) AS allMobile",
        "max(mobile) AS anyMobile",
        "avg(bytes) AS avgBytes"
      })
  public interface VisitsPerUrl {}
}
