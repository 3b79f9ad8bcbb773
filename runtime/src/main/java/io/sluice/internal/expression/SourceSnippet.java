package io.sluice.internal.expression;

import org.jspecify.annotations.Nullable;

/**
 * Renders the line of an expression that holds a position, with carets under it, for error
 * messages.
 *
 * <p>{@code render("sum(a + 1", new Position(9, 0))} gives a newline, {@code "  sum(a + 1"}, a
 * newline and {@code "           ^"}. A long line is cut to a window around the position, marked
 * with {@code ...}. The result is empty when the text is unknown (expressions built in code) or
 * the position does not fit it.
 */
public final class SourceSnippet {
  /** Characters of a long line shown around the position; messages stay readable in logs. */
  private static final int WINDOW = 100;

  private static final int BEFORE = 40;
  private static final String CUT = "...";

  private SourceSnippet() {}

  /** Two lines, each starting with a newline and two spaces; empty when there is nothing to show. */
  public static String render(@Nullable String text, Position position) {
    if (text == null || !fits(text, position)) {
      return "";
    }
    int offset = position.offset();
    int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    int lineEnd = text.indexOf('\n', offset);
    lineEnd = lineEnd < 0 ? text.length() : lineEnd;
    int from = lineEnd - lineStart <= WINDOW ? lineStart : Math.max(lineStart, offset - BEFORE);
    int to = Math.min(lineEnd, from + WINDOW);
    String head = from > lineStart ? CUT : "";
    String tail = to < lineEnd ? CUT : "";
    // Tabs and carriage returns become spaces so that the carets stay under their characters.
    String line = text.substring(from, to).replace('\t', ' ').replace('\r', ' ');
    int width = Math.max(1, Math.min(position.length(), to - offset));
    return "\n  " + head + line + tail
        + "\n  " + " ".repeat(head.length() + offset - from) + "^".repeat(width);
  }

  /** The text at the position, or null when the text is unknown or the position does not fit. */
  public static @Nullable String slice(@Nullable String text, Position position) {
    if (text == null || !fits(text, position)
        || position.offset() + position.length() > text.length()) {
      return null;
    }
    return text.substring(position.offset(), position.offset() + position.length());
  }

  private static boolean fits(String text, Position position) {
    return position.isKnown() && position.offset() <= text.length();
  }
}
