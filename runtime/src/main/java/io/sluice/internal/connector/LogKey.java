package io.sluice.internal.connector;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The position of an entry in a file sink's log, ordered as the entries were written: batch
 * {@code batch}'s commit ({@code <batch>}, or {@code <batch>.compact} when it also folds every
 * earlier entry), then the compaction action's rewrites that followed it ({@code <batch>.<n>}, n
 * from 1).
 */
record LogKey(long batch, int rewrite, boolean compact) implements Comparable<LogKey> {
  private static final Pattern NAME = Pattern.compile("(\\d{1,18})(?:\\.(compact|\\d{1,9}))?");

  static LogKey batch(long batchId, boolean compact) {
    return new LogKey(batchId, 0, compact);
  }

  /** The key an entry file name stands for, or null for other names (temporary, lock files). */
  static @Nullable LogKey parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return null;
    }
    long batch = Long.parseLong(m.group(1));
    String suffix = m.group(2);
    if (suffix == null || suffix.equals("compact")) {
      return batch(batch, suffix != null);
    }
    int rewrite = Integer.parseInt(suffix);
    return rewrite == 0 ? null : new LogKey(batch, rewrite, false);
  }

  boolean isRewrite() {
    return rewrite > 0;
  }

  String fileName() {
    if (compact) {
      return batch + ".compact";
    }
    return isRewrite() ? batch + "." + rewrite : Long.toString(batch);
  }

  /** A batch's commit and its compact file share a place: they never both stand for it. */
  @Override
  public int compareTo(LogKey other) {
    int byBatch = Long.compare(batch, other.batch);
    return byBatch != 0 ? byBatch : Integer.compare(rewrite, other.rewrite);
  }
}
