package io.sluice.internal.connector;

import java.util.List;

/**
 * Lays out cells as a text table the way Spark's {@code Dataset.show()} does, so that console
 * output looks familiar: columns at least three wide, cells right-aligned when truncating and
 * left-aligned otherwise, data cells over 20 characters cut to 17 plus {@code ...}.
 */
final class TableFormatter {
  /** Spark's {@code show()} default. */
  static final int TRUNCATE_AT = 20;

  private static final int MIN_COLUMN_WIDTH = 3;

  private TableFormatter() {}

  /**
   * The table with a header line, the rows, and the closing separator, each line ending in {@code
   * \n}.
   */
  static String format(List<String> header, List<List<String>> rows, boolean truncate) {
    List<String> head = header.stream().map(TableFormatter::escape).toList();
    List<List<String>> body =
        rows.stream().map(r -> r.stream().map(c -> cell(c, truncate)).toList()).toList();
    int[] widths = widths(head, body);
    String separator = separator(widths);
    StringBuilder out = new StringBuilder(separator);
    appendRow(out, head, widths, truncate);
    out.append(separator);
    for (List<String> row : body) {
      appendRow(out, row, widths, truncate);
    }
    // Closed even when empty, as Spark does: an empty batch shows its header between rules.
    out.append(separator);
    return out.toString();
  }

  /** A data cell: control characters escaped so that the table keeps its shape, then truncated. */
  private static String cell(String text, boolean truncate) {
    String escaped = escape(text);
    return truncate && escaped.length() > TRUNCATE_AT
        ? escaped.substring(0, TRUNCATE_AT - 3) + "..."
        : escaped;
  }

  private static String escape(String text) {
    return text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }

  private static int[] widths(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = Math.max(MIN_COLUMN_WIDTH, header.get(c).length());
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    return widths;
  }

  private static String separator(int[] widths) {
    StringBuilder line = new StringBuilder("+");
    for (int width : widths) {
      line.append("-".repeat(width)).append('+');
    }
    return line.append('\n').toString();
  }

  private static void appendRow(
      StringBuilder out, List<String> cells, int[] widths, boolean right) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String padding = " ".repeat(widths[c] - cells.get(c).length());
      out.append(right ? padding + cells.get(c) : cells.get(c) + padding).append('|');
    }
    out.append('\n');
  }
}
