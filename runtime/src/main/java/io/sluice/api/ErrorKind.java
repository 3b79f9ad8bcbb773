package io.sluice.api;

/**
 * The catalogue of errors Sluice reports, each with a stable id.
 *
 * <p>The id appears in every message as {@code [Sluice/Id]}, at run time in a {@link
 * SluiceException} and at build time in a javac diagnostic, so that the same mistake reads the
 * same way in both places.
 */
public enum ErrorKind {
  PARSE_ERROR("ParseError"),
  UNKNOWN_COLUMN("UnknownColumn"),
  AMBIGUOUS_COLUMN("AmbiguousColumn"),
  UNKNOWN_FUNCTION("UnknownFunction"),
  WRONG_ARGUMENTS("WrongArguments"),
  TYPE_MISMATCH("TypeMismatch"),
  INVALID_AGGREGATE("InvalidAggregate"),
  UNSUPPORTED_OPERATION("UnsupportedOperation"),
  OUTPUT_MODE("OutputMode"),
  INVALID_OPTION("InvalidOption"),
  INVALID_EVENT_TYPE("InvalidEventType"),
  MALFORMED_RECORD("MalformedRecord"),
  STATE_FULL("StateFull"),
  MISSING_JVM_FLAGS("MissingJvmFlags"),
  CODEGEN("CodeGeneration"),
  EXECUTION("Execution"),
  ARITHMETIC("Arithmetic"),
  CONNECTOR("Connector"),
  /** A source's records are gone before they were read: Kafka's retention, a deleted topic. */
  DATA_LOSS("DataLoss"),
  /**
   * A query reads a share of its input (one of several instances) but keeps state by something
   * other than the key that decides which instance a row goes to.
   */
  NOT_CO_PARTITIONED("NotCoPartitioned"),
  CHECKPOINT("Checkpoint");

  private final String id;

  ErrorKind(String id) {
    this.id = id;
  }

  /** The stable id shown in messages, e.g. {@code UnknownColumn}. */
  public String id() {
    return id;
  }
}
