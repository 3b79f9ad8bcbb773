package io.sluice.differential;

import io.sluice.annotations.StreamQuery;

/**
 * Stateless queries of the corpus (where and select, no aggregation), one clause or expression
 * family each. Nested, so that the generated names join simple names: {@code
 * ScalarQueries_WhereOnly_Stage1}.
 */
public final class ScalarQueries {
  private ScalarQueries() {}

  @StreamQuery(
      from = Order.class,
      where = "paid AND qty > 2 OR customer = 'ann'",
      select = {"id", "qty", "customer"})
  public interface WhereOnly {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "qty + 1 AS plusOne",
        "qty - 10 AS minusTen",
        "qty * 3 AS times3",
        "qty / 4 AS slash",
        "qty DIV 4 AS div4",
        "qty % 4 AS mod4",
        "-qty AS neg",
        "id * 2 + qty AS mixed",
        "id % 7 AS idMod",
        "id DIV -3 AS idDiv",
        "rating % 3 AS ratingMod",
        "discount DIV 7 AS discountDiv",
        "qty DIV nullif(rating, 0) AS perRating",
        "qty % nullif(rating, 0) AS remRating",
        "discount * rating AS product",
        "(qty + 2) * (qty - 2) AS diffSquares",
        "2147483000 + qty AS nearMax",
        "qty + 2.5 AS widened",
        "qty * 1000000000000 AS big"
      })
  public interface IntArithmetic {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "price * 2 AS doubled",
        "price / 3 AS third",
        "price % 1.5 AS rem",
        "price - weight AS net",
        "weight + qty AS wq",
        "-price AS neg",
        "price + id AS pid",
        "price / nullif(weight, 0) AS ratio",
        "price * price - 2 * price AS poly",
        "1000.5 + price AS shifted",
        "-weight AS negWeight"
      })
  public interface DoubleArithmetic {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "qty > 2 AS gt",
        "qty <= rating AS le",
        "price = 10.0 AS eqPrice",
        "price >= weight AS geWeight",
        "customer <> 'ann' AS notAnn",
        "customer < coupon AS strLess",
        "customer > 'b' AS afterB",
        "rating <=> 3 AS nullSafe",
        "coupon <=> NULL AS couponNull",
        "placedAt < '2024-01-05' AS early",
        "shippedAt >= placedAt AS shippedLater",
        "gift = paid AS giftPaid",
        "paid != true AS unpaid",
        "discount < qty AS discLess",
        "weight = 0 AS weightZero",
        "price == 5.25 AS eqeq",
        "qty <> rating AS ne2"
      })
  public interface Comparisons {}

  @StreamQuery(
      from = Order.class,
      where = "paid OR gift OR coupon IS NULL",
      select = {
        "id",
        "paid AND gift AS a",
        "paid OR gift AS o",
        "NOT gift AS n",
        "gift AND rating > 2 AS g2",
        "(gift OR coupon IS NULL) AND NOT paid AS mixed",
        "gift OR NULL AS orNull",
        "gift AND NULL AS andNull",
        "NOT (rating > 2 OR weight > 3) AS notOr"
      })
  public interface ThreeValuedLogic {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "CASE WHEN qty > 5 THEN 'big' WHEN qty > 2 THEN 'mid' WHEN rating IS NULL THEN NULL"
            + " ELSE 'small' END AS size",
        "CASE WHEN gift THEN price ELSE 0 END AS giftValue",
        "CASE WHEN coupon LIKE 'SAVE%' THEN discount END AS saving",
        "CASE WHEN rating > 3 THEN 'good' WHEN rating > 1 THEN 'ok'"
            + " ELSE coalesce(customer, '?') END AS verdict",
        "CASE WHEN qty = 0 THEN 0 ELSE 100 DIV qty END AS lazyDiv",
        "CASE WHEN NULL THEN 1 ELSE 2 END AS nullCondition"
      })
  public interface SearchedCase {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "CASE rating WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS word",
        "CASE customer WHEN 'ann' THEN 1 WHEN NULL THEN -1 END AS annFlag",
        "CASE qty % 3 WHEN 0 THEN price WHEN 1 THEN weight ELSE NULL END AS pick",
        "CASE paid WHEN true THEN 'paid' ELSE 'open' END AS state"
      })
  public interface SimpleCase {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "CAST(qty AS BIGINT) AS qtyLong",
        "CAST(qty AS DOUBLE) AS qtyDouble",
        "CAST(qty AS STRING) AS qtyText",
        "CAST(qty AS BOOLEAN) AS qtyBool",
        "CAST(qty AS TIMESTAMP) AS qtyTs",
        "CAST(id AS INT) AS idInt",
        "CAST(id AS DOUBLE) AS idDouble",
        "CAST(id AS STRING) AS idText",
        "CAST(id AS BOOLEAN) AS idBool",
        "CAST(id AS TIMESTAMP) AS idTs",
        "CAST(price AS INT) AS priceInt",
        "CAST(price AS BIGINT) AS priceLong",
        "CAST(price AS STRING) AS priceText",
        "CAST(price AS BOOLEAN) AS priceBool",
        "CAST(price AS TIMESTAMP) AS priceTs",
        "CAST(rating AS STRING) AS ratingText",
        "CAST(discount AS INT) AS discountInt",
        "CAST(weight AS STRING) AS weightText",
        "CAST(NULL AS INT) AS nothing",
        "CAST(qty AS INTEGER) AS sameInt",
        "CAST(id AS LONG) AS sameLong"
      })
  public interface CastsFromNumbers {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "CAST(paid AS INT) AS paidInt",
        "CAST(paid AS BIGINT) AS paidLong",
        "CAST(paid AS DOUBLE) AS paidDouble",
        "CAST(paid AS STRING) AS paidText",
        "CAST(gift AS INT) AS giftInt",
        "CAST(placedAt AS BIGINT) AS placedSeconds",
        "CAST(placedAt AS INT) AS placedInt",
        "CAST(placedAt AS DOUBLE) AS placedDouble",
        "CAST(placedAt AS STRING) AS placedText",
        "CAST(shippedAt AS STRING) AS shippedText",
        "CAST(shippedAt - placedAt AS STRING) AS transit",
        "CAST(customer AS STRING) AS customerText",
        "CAST(placedAt AS TIMESTAMP) AS placedSame"
      })
  public interface CastsFromOthers {}

  @StreamQuery(
      from = Reading.class,
      select = {
        "ts",
        "raw",
        "CAST(raw AS INT) AS rawInt",
        "CAST(raw AS BIGINT) AS rawLong",
        "CAST(raw AS DOUBLE) AS rawDouble",
        "CASE WHEN trim(raw) IN ('0', '1') THEN CAST(raw AS BOOLEAN) END AS rawBool",
        "CAST(concat('2024-03-0', CAST(battery % 9 + 1 AS STRING), ' 10:00:00') AS TIMESTAMP)"
            + " AS built",
        "CAST('true' AS BOOLEAN) AS literalBool",
        "CAST(CAST(value AS STRING) AS DOUBLE) AS roundTrip",
        "CAST('2024-02-29T12:30:00+02:00' AS TIMESTAMP) AS zoned"
      })
  public interface CastsFromStrings {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "rating IN (1, 3, 5) AS oddRating",
        "rating NOT IN (1, NULL) AS notOneOrNull",
        "customer IN ('ann', 'bob', NULL) AS known",
        "price IN (10, 12.5) AS roundPrice",
        "placedAt IN ('2024-01-01 00:00:00', '2024-01-01T07:13:00.250Z') AS listed",
        "qty NOT IN (2, 4) AS notEven",
        "coupon IN (upper(coupon), 'x') AS upperCoupon",
        "discount IN (qty, rating) AS matches",
        "gift IN (true) AS giftIn"
      })
  public interface InLists {}

  @StreamQuery(
      from = Order.class,
      where = "customer IS NOT NULL",
      select = {
        "id",
        "coupon IS NULL AS noCoupon",
        "rating IS NOT NULL AS rated",
        "isnull(gift) AS giftUnknown",
        "isnotnull(weight) AS weighed",
        "shippedAt IS NULL AS pending",
        "(discount + rating) IS NULL AS sumNull"
      })
  public interface NullPredicates {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "customer LIKE 'a%' AS startsA",
        "customer NOT LIKE '%n' AS notEndsN",
        "coupon LIKE 'SAVE__' AS save2",
        "customer LIKE '%o%' AS hasO",
        "coupon LIKE 'SAVE\\_1' AS escaped",
        "customer LIKE '' AS empty",
        "customer LIKE '%' AS any",
        "coupon LIKE 'FREESHIP' AS exact",
        "customer LIKE 'zo_' AS oneChar",
        "customer LIKE '😀%' AS emoji"
      })
  public interface LikePatterns {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "qty BETWEEN 2 AND 4 AS mid",
        "price NOT BETWEEN 5 AND 15 AS outside",
        "placedAt BETWEEN '2024-01-01' AND '2024-01-05' AS firstDays",
        "customer BETWEEN 'b' AND 'd' AS bToD",
        "rating BETWEEN qty AND 5 AS ratingRange",
        "weight BETWEEN -1 AND 3.5 AS light"
      })
  public interface Between {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "upper(customer) AS up",
        "lower(customer) AS low",
        "ucase(coupon) AS upCoupon",
        "lcase(coupon) AS lowCoupon",
        "length(customer) AS len",
        "char_length(coupon) AS couponLen",
        "trim(customer) AS trimmed",
        "ltrim(customer) AS leftTrimmed",
        "rtrim(customer) AS rightTrimmed",
        "substring(customer, 2) AS fromTwo",
        "substr(customer, -2, 1) AS nearEnd",
        "substring(coupon, 0, 3) AS head",
        "replace(coupon, 'SAVE', 'S') AS shortCoupon",
        "replace(customer, 'n') AS noN",
        "startswith(coupon, 'SAVE') AS sw",
        "endswith(customer, 'n') AS ew",
        "contains(customer, 'o') AS ct",
        "concat(customer, '-', qty, '-', paid) AS joined",
        "customer || '/' || coupon AS piped",
        "concat(placedAt, ' ', price) AS mixedConcat"
      })
  public interface StringFunctions {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "abs(qty - 3) AS absInt",
        "abs(discount) AS absLong",
        "abs(price - 10) AS absDouble",
        "round(price) AS r0",
        "round(price, 1) AS r1",
        "round(qty * 17, -1) AS rInt",
        "round(id, -2) AS rLong",
        "floor(price) AS fl",
        "ceil(price) AS ce",
        "ceiling(price / 3) AS ce3",
        "floor(id) AS flLong",
        "sqrt(price) AS sq",
        "pow(qty, 2) AS p2",
        "power(price, 0.5) AS root",
        "exp(qty / 10) AS ex",
        "ln(price) AS lnPrice",
        "log(2, price) AS lg2",
        "log10(price) AS l10",
        "log2(weight) AS lw",
        "signum(price - 10) AS sg",
        "sign(qty) AS sgQty",
        "round(weight, 1) AS rw"
      })
  public interface MathFunctions {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "year(placedAt) AS y",
        "month(placedAt) AS m",
        "day(placedAt) AS d",
        "dayofmonth(shippedAt) AS sd",
        "hour(placedAt) AS h",
        "minute(placedAt) AS mi",
        "second(placedAt) AS s",
        "unix_timestamp(placedAt) AS ut",
        "unix_seconds(shippedAt) AS us",
        "unix_millis(placedAt) AS um",
        "date_format(placedAt, 'yyyy-MM-dd HH:mm:ss.SSS') AS text",
        "to_timestamp('2024-02-03 04:05:06') AS fixed",
        "to_timestamp(date_format(placedAt, 'dd/MM/yyyy'), 'dd/MM/yyyy') AS dayStart",
        "timestamp_millis(id) AS fromMillis",
        "timestamp_seconds(qty) AS fromSeconds",
        "hour(shippedAt) AS shippedHour"
      })
  public interface TimeFunctions {}

  @StreamQuery(
      from = Order.class,
      where = "shippedAt IS NULL OR shippedAt > placedAt + INTERVAL 1 DAY",
      select = {
        "id",
        "placedAt + INTERVAL 1 DAY AS nextDay",
        "placedAt - INTERVAL '2' HOURS AS earlier",
        "INTERVAL 30 MINUTES + placedAt AS later",
        "shippedAt - placedAt AS transit",
        "shippedAt - placedAt - INTERVAL 1 DAY AS overDay",
        "INTERVAL 1 HOUR 30 MINUTES + INTERVAL '1 day 2 hours' AS constant",
        "placedAt + INTERVAL -5 MINUTES AS minus5",
        "-(shippedAt - placedAt) AS negTransit",
        "CAST(shippedAt - placedAt AS STRING) AS transitText",
        "placedAt + INTERVAL 250 MILLISECONDS + INTERVAL 2 WEEKS AS fine"
      })
  public interface Intervals {}

  @StreamQuery(
      from = Order.class,
      select = {
        "id",
        "coalesce(rating, 0) AS r",
        "coalesce(coupon, customer, 'none') AS label",
        "nvl(weight, -1) AS w",
        "ifnull(gift, false) AS g",
        "if(paid, price, 0) AS paidPrice",
        "if(rating > 3, 'good', NULL) AS good",
        "nullif(qty, 3) AS notThree",
        "nullif(customer, 'ann') AS notAnn",
        "greatest(qty, rating, 2) AS gr",
        "least(price, weight) AS le",
        "greatest(customer, coupon) AS gs",
        "least(placedAt, shippedAt) AS first",
        "greatest(discount, rating) AS gmix",
        "coalesce(NULL, discount, id) AS cl"
      })
  public interface NullFunctions {}

  @StreamQuery(
      from = Visit.class,
      where = "url IS NOT NULL",
      select = {
        "user",
        "url",
        "durationMs / 1000 AS seconds",
        "durationMs DIV 1000 AS wholeSeconds",
        "durationMs % 1000 AS millisPart",
        "bytes DIV 1024 AS kib",
        "CAST(mobile AS INT) AS mobileFlag",
        "hour(at) AS h",
        "at + INTERVAL 1 WEEK AS nextWeek",
        "date_format(at, 'EEE HH:mm') AS label"
      },
      name = "visit-projection")
  public interface VisitProjection {}

  @StreamQuery(
      from = Order.class,
      where = "id >= 0",
      select = {
        "id",
        "-2147483648 AS minInt",
        "2147483647 AS maxInt",
        "-9223372036854775808 AS minLong",
        "9223372036854775807 AS maxLong",
        "5L AS fiveLong",
        "2D AS twoDouble",
        "1e2 AS hundred",
        "4.9E-324 AS tiny",
        "1.7976931348623157E308 AS huge",
        "-0.0 AS negZero",
        "0.1 + 0.2 AS inexact",
        "'it''s' AS quoted",
        "'tab\\there\\n' AS escaped",
        "'\\u0041 stays six characters' AS notUnicode",
        "'caf\u00e9 \ud83d\ude00' AS unicode",
        "CAST('NaN' AS DOUBLE) AS nan",
        "CAST('-inf' AS DOUBLE) AS negInf",
        "qty + -2147483000 AS shifted",
        "id + 9223372036854000000 AS nearMaxLong",
        "qty - qty - 2147483647 - 1 AS roundTrip",
        "true AND NOT false AS truth",
        "NULL AS nothing"
      })
  public interface Literals {}
}
