package io.sluice.differential;

import io.sluice.annotations.SqlFunction;
import io.sluice.annotations.StreamQuery;
import java.util.Locale;

/**
 * {@code @SqlFunction}s declared as static methods of an interface, which generated code calls as
 * {@code InterfaceFunctions.slug(...)}; and a query name with characters that would break a
 * comment or a string if they ever reached generated source text.
 */
@StreamQuery(
    from = Visit.class,
    select = {
      "user",
      "slug(url) AS slug",
      "kib(bytes) AS kib",
      "isLong(durationMs) AS longVisit",
      "slug(concat(user, url)) AS both"
    },
    name = "odd */ name \" \\u000A end")
public interface InterfaceFunctions {
  @SqlFunction
  static String slug(String url) {
    return url.replace('/', '-').toUpperCase(Locale.ROOT);
  }

  @SqlFunction
  static Long kib(Long bytes) {
    return bytes == 0 ? null : bytes / 1024;
  }

  @SqlFunction
  static boolean isLong(int durationMs) {
    return durationMs >= 5000;
  }
}
