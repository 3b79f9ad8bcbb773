package io.sluice.internal.expression;

/** Where a piece of an expression stands in the text the user wrote (0-based offset, length). */
public record Position(int offset, int length) {
  /** For expressions built by the fluent API rather than parsed from text. */
  public static final Position NONE = new Position(-1, 0);

  public boolean isKnown() {
    return offset >= 0;
  }
}
