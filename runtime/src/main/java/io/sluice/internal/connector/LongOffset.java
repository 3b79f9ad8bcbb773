package io.sluice.internal.connector;

/** An offset that is a count: records of a memory or rate source, files of a file source. */
public record LongOffset(long value) implements Offset {
  @Override
  public String json() {
    return Long.toString(value);
  }

  /** The count in {@code offset}, where null (no offset yet) counts as zero. */
  public static long valueOf(@org.jspecify.annotations.Nullable Offset offset) {
    return offset == null ? 0 : ((LongOffset) offset).value;
  }
}
