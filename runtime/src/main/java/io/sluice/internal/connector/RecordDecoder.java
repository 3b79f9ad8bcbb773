package io.sluice.internal.connector;

import java.nio.file.Path;

/** Decodes the lines of a text file, one record per line, into rows of a schema. */
interface RecordDecoder {
  /** Called before the first line of each file, e.g. so that a CSV header is expected again. */
  void startFile(Path file);

  /**
   * Decodes one non-blank line into {@code row}, which the caller has reset.
   *
   * @return false if the line held no record, such as a CSV header
   * @throws BadRecordException if the line is not a valid record of the schema
   */
  boolean decode(String line, RowScratch row) throws BadRecordException;
}
