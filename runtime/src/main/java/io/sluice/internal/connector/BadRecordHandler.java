package io.sluice.internal.connector;

import io.sluice.api.BadRecordPolicy;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Applies the bad-record policy to the records one read of a file source could not decode. */
final class BadRecordHandler implements AutoCloseable {
  private final BadRecordPolicy policy;
  private final @Nullable DeadLetterWriter deadLetters;
  private long malformed;

  /** {@code deadLetters} is required by, and only used for, {@link BadRecordPolicy#DEAD_LETTER}. */
  BadRecordHandler(BadRecordPolicy policy, @Nullable DeadLetterWriter deadLetters) {
    if (policy == BadRecordPolicy.DEAD_LETTER && deadLetters == null) {
      throw new IllegalArgumentException("the deadLetter policy needs a dead-letter writer");
    }
    this.policy = policy;
    this.deadLetters = deadLetters;
  }

  /**
   * Handles the bad record on 1-based line {@code line} of {@code file}.
   *
   * @throws SluiceException of kind {@link ErrorKind#MALFORMED_RECORD} under {@link
   *     BadRecordPolicy#FAIL}
   */
  void handle(Path file, long line, String raw, String error) {
    if (policy == BadRecordPolicy.FAIL) {
      throw new SluiceException(
          ErrorKind.MALFORMED_RECORD,
          "malformed record in " + file + " line " + line + ": " + error);
    }
    malformed++;
    if (deadLetters != null) {
      deadLetters.write(file, line, error, raw);
    }
  }

  long malformed() {
    return malformed;
  }

  long deadLettered() {
    return deadLetters == null ? 0 : deadLetters.written();
  }

  /** The read succeeded: publish the dead letters. */
  void commit() {
    if (deadLetters != null) {
      deadLetters.commit();
    }
  }

  @Override
  public void close() {
    if (deadLetters != null) {
      deadLetters.close();
    }
  }
}
