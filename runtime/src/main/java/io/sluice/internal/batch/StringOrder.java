package io.sluice.internal.batch;

/**
 * Orders strings by Unicode code point, which is the UTF-8 byte order Spark compares strings in.
 * Java's {@code String.compareTo} orders by UTF-16 unit and disagrees for characters outside the
 * Basic Multilingual Plane (an emoji sorts below U+FFFF there, above it in Spark).
 */
public final class StringOrder {
  private StringOrder() {}

  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }
}
