package io.sluice.internal.expression;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import org.jspecify.annotations.Nullable;

/** Builds the {@link ErrorKind#PARSE_ERROR} messages of the lexer and the parser. */
final class ParseErrors {
  private ParseErrors() {}

  /**
   * {@code cannot parse expression: <detail> at position <n>[; <hint>]}, then the text with carets
   * under the span.
   */
  static SluiceException at(
      String text, String detail, int offset, int length, @Nullable String hint) {
    String message = "cannot parse expression: " + detail + " at position " + offset
        + (hint == null ? "" : "; " + hint)
        + SourceSnippet.render(text, new Position(offset, length));
    return new SluiceException(ErrorKind.PARSE_ERROR, message);
  }
}
