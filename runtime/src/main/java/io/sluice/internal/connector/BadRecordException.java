package io.sluice.internal.connector;

/**
 * Why one record could not be decoded; the source adds where the record was (a file and line, a
 * Kafka topic-partition and offset) and applies the bad-record policy.
 *
 * <p>Checked so that a decoder cannot forget a case, and without a stack trace because dropping
 * millions of bad records must stay cheap.
 */
public final class BadRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  BadRecordException(String reason) {
    super(reason, null, false, false);
  }

  static BadRecordException wrongType(String field, Object expected, String found) {
    return new BadRecordException(
        "field '" + field + "' expects " + expected + " but found " + found);
  }

  static BadRecordException outOfRange(String field, String value, Object type) {
    return new BadRecordException(
        "field '" + field + "' value " + value + " is out of range for " + type);
  }
}
