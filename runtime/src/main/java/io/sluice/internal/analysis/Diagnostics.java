package io.sluice.internal.analysis;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.ExprPrinter;
import io.sluice.internal.expression.SourceSnippet;
import org.jspecify.annotations.Nullable;

/**
 * Writes the analyzer's error messages: operands quoted as the user wrote them, and the source
 * line with carets under the offending part when the text is known.
 */
final class Diagnostics {
  private final @Nullable String sourceText;

  Diagnostics(@Nullable String sourceText) {
    this.sourceText = sourceText;
  }

  /** Longer operand texts are cut, so that one message stays one readable line. */
  private static final int MAX_TEXT = 80;

  /** The expression's text as written, or as SQL for expressions built by the fluent API. */
  String text(Expr e) {
    String slice = SourceSnippet.slice(sourceText, e.position());
    String text = slice != null ? slice : ExprPrinter.toSql(e);
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
  }

  /** Literals as written ({@code 1}, {@code 'abc'}); anything else in quotes ({@code 'x + 1'}). */
  String quoted(Expr e) {
    return e instanceof Expr.Literal ? text(e) : "'" + text(e) + "'";
  }

  /** {@code 'page' (STRING)}. */
  String typed(Expr e, Bound b) {
    return quoted(e) + " (" + b.type() + ")";
  }

  SluiceException error(ErrorKind kind, String message, Expr at) {
    return new SluiceException(kind, message + SourceSnippet.render(sourceText, at.position()));
  }
}
