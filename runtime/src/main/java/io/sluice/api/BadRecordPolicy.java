package io.sluice.api;

import java.util.Locale;

/**
 * What a source does with a record it cannot decode: a line that is not JSON, a field of the wrong
 * type, a missing required field, a CSV line with the wrong number of fields.
 *
 * <p>Set with the source option {@code badRecords} ({@code fail}, {@code drop} or {@code
 * deadLetter}); Spark's option {@code mode} with {@code FAILFAST} or {@code DROPMALFORMED} is
 * accepted too. Every policy but {@link #FAIL} counts the records it sets aside, in the source's
 * {@code numMalformedRows} metric.
 *
 * <pre>{@code
 * engine.readStream().format("json").option("badRecords", "deadLetter")
 *     .option("badRecordsPath", "/data/bad").load("/data/in");
 * }</pre>
 */
public enum BadRecordPolicy {
  /**
   * Stop the query with a {@link ErrorKind#MALFORMED_RECORD} error naming the file, the line and
   * what is wrong. The default, so that bad input is never lost silently.
   */
  FAIL,
  /** Skip the record and count it. */
  DROP,
  /**
   * Skip the record, count it, and keep its raw text, source file, line and error in a
   * dead-letter file under the option {@code badRecordsPath}.
   */
  DEAD_LETTER;

  /**
   * The policy named by {@code text}: {@code fail}, {@code drop} or {@code deadLetter} in any case,
   * or Spark's {@code FAILFAST} and {@code DROPMALFORMED}.
   *
   * @throws SluiceException of kind {@link ErrorKind#INVALID_OPTION} for any other text,
   *     including Spark's {@code PERMISSIVE}, which Sluice does not offer
   */
  public static BadRecordPolicy parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "fail":
      case "failfast":
        return FAIL;
      case "drop":
      case "dropmalformed":
        return DROP;
      case "deadletter":
        return DEAD_LETTER;
      case "permissive":
        throw new SluiceException(
            ErrorKind.INVALID_OPTION,
            "bad-record policy 'PERMISSIVE' is not supported: Sluice never turns a bad field into"
                + " null silently; use fail, drop or deadLetter");
      default:
        throw new SluiceException(
            ErrorKind.INVALID_OPTION,
            "bad-record policy '"
                + text
                + "' is not one of fail, drop, deadLetter (or Spark's FAILFAST, DROPMALFORMED)");
    }
  }
}
