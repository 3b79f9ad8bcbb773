package io.sluice.internal.batch;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;

/** The errors generated code raises while converting between columns and user records. */
public final class RecordErrors {
  private RecordErrors() {}

  /** A null column value cannot be passed to a primitive record component. */
  public static SluiceException nullForPrimitive(String type, String component) {
    return new SluiceException(ErrorKind.EXECUTION,
        "column '" + component + "' is null but " + type + "." + component
            + " is primitive; use a boxed type to accept nulls, or filter them out first");
  }

  /** A map function returned null. */
  public static SluiceException nullResult(String function) {
    return new SluiceException(ErrorKind.EXECUTION,
        function + " returned null; return a record (or use flatMap and return no element)");
  }
}
