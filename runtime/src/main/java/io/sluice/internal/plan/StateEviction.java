package io.sluice.internal.plan;

/**
 * When a stored row of one side of a stream-stream join can go, as Spark derives it from the
 * watermark W of the batch: by its key ({@code KEY}: the key part {@code keyIndex}, an event time
 * or a window whose end, is at most W) or by its own event time ({@code VALUE}: at most W +
 * {@code offsetMs}, the bound the join condition puts on the side below the other's event time);
 * {@code NEVER} when neither applies, and the side's state grows without bound.
 */
public record StateEviction(Kind kind, int keyIndex, boolean windowKey, long offsetMs) {
  /** How rows are found that can go. */
  public enum Kind {
    NEVER,
    KEY,
    VALUE
  }

  public static final StateEviction NEVER = new StateEviction(Kind.NEVER, -1, false, 0);

  public static StateEviction byKey(int keyIndex, boolean window) {
    return new StateEviction(Kind.KEY, keyIndex, window, 0);
  }

  public static StateEviction byValue(long offsetMs) {
    return new StateEviction(Kind.VALUE, -1, false, offsetMs);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NEVER -> "never";
      case KEY -> "key " + keyIndex + (windowKey ? " window end" : "") + " <= watermark";
      case VALUE -> "event time <= watermark " + (offsetMs < 0 ? "- " + -offsetMs
          : "+ " + offsetMs) + " ms";
    };
  }
}
