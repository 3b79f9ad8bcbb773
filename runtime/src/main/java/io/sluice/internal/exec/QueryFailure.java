package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;

/**
 * Wraps a failure inside a running query so that the message says which query, which batch and
 * which operator, keeping the original error (and its file, line or offset) as the cause.
 */
final class QueryFailure {
  private QueryFailure() {}

  static SluiceException wrap(String query, long batchId, String where, Throwable cause) {
    ErrorKind kind = cause instanceof SluiceException s ? s.kind() : ErrorKind.EXECUTION;
    String detail = cause instanceof SluiceException s ? withoutId(s) : cause.toString();
    return new SluiceException(kind,
        "query '" + query + "' failed in batch " + batchId + " at " + where + ": " + detail, cause);
  }

  /** The message without its {@code [Sluice/Id]} prefix, which the wrapper already starts with. */
  private static String withoutId(SluiceException e) {
    String prefix = "[Sluice/" + e.kind().id() + "] ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** Carries a checked exception out of a chunk callback. */
  static final class Unchecked extends RuntimeException {
    final String where;

    Unchecked(String where, Throwable cause) {
      super(cause);
      this.where = where;
    }
  }
}
