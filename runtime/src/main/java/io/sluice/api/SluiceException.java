package io.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * An error reported by Sluice: a mistake in a query, bad input, or a failure while running.
 *
 * <p>The message starts with the error's stable id, e.g. {@code [Sluice/UnknownColumn] column
 * 'pgae' not found; available: user, page, ts}.
 */
public class SluiceException extends RuntimeException {
  private final ErrorKind kind;

  public SluiceException(ErrorKind kind, String message) {
    this(kind, message, null);
  }

  public SluiceException(ErrorKind kind, String message, @Nullable Throwable cause) {
    super("[Sluice/" + kind.id() + "] " + message, cause);
    this.kind = kind;
  }

  /** Which kind of error this is. */
  public ErrorKind kind() {
    return kind;
  }
}
