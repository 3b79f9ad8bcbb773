package io.sluice.internal.codegen;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out unique local-variable names for one generated method. A hint from a column name is
 * reduced to ASCII letters and digits, so no user text beyond that reaches the source.
 */
final class LocalNames {
  private final Set<String> used = new HashSet<>();
  private int counter;

  /** A new name such as {@code value12} or {@code page3}. */
  String local(String hint) {
    String base = sanitize(hint);
    String name;
    do {
      name = base + "_" + (counter++);
    } while (!used.add(name));
    return name;
  }

  static String sanitize(String hint) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hint.length() && out.length() < 24; i++) {
      char c = hint.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9' && out.length() > 0)) {
        out.append(c);
      }
    }
    if (out.length() == 0) {
      return "v";
    }
    out.setCharAt(0, Character.toLowerCase(out.charAt(0)));
    return out.toString();
  }

  /** A Java class name made of the ASCII letters, digits and underscores of {@code name}. */
  static String sanitizeClassName(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_';
      out.append(ok ? c : '_');
    }
    if (out.length() == 0 || Character.isDigit(out.charAt(0))) {
      out.insert(0, 'Q');
    }
    return out.toString();
  }

  /**
   * Text for a comment in generated source: anything but plain ASCII letters, digits and a little
   * punctuation becomes {@code _}, so a query name cannot close a comment or start a line.
   */
  static String safeText(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || " _-.,:'()[]=>".indexOf(c) >= 0;
      out.append(ok ? c : '_');
    }
    return out.toString();
  }
}
