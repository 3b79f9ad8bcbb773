package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.Analyzer;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.expression.Expr;
import io.sluice.internal.expression.IntervalText;
import io.sluice.internal.expression.Position;

/**
 * The arguments of {@code withWatermark} and {@code dropDuplicates}, checked in one place for the
 * fluent API and the annotations, so that a mistake reads the same on both.
 */
public final class EventTimeOperators {
  private EventTimeOperators() {}

  /** The ordinal of the event-time column {@code name}: a TIMESTAMP or a BIGINT of epoch ms. */
  public static int eventTimeColumn(Schema schema, String name) {
    Bound column = Analyzer.bind(new Expr.ColumnRef(name, Position.NONE), schema, null, false);
    if (!(column instanceof Bound.Column c)) {
      throw new SluiceException(ErrorKind.UNKNOWN_COLUMN, "withWatermark needs a column of this"
          + " dataset, not '" + name + "'; available: " + String.join(", ", schema.names()));
    }
    if (c.type() != DataType.TIMESTAMP && c.type() != DataType.LONG) {
      throw new SluiceException(ErrorKind.TYPE_MISMATCH, "the event-time column '" + name
          + "' of withWatermark must be a TIMESTAMP or a BIGINT of epoch milliseconds, but it is "
          + c.type().sqlName());
    }
    return c.ordinal();
  }

  /** The delay threshold of a watermark in milliseconds, e.g. 600000 for {@code "10 minutes"}. */
  public static long delayMillis(String delayThreshold) {
    long delay;
    try {
      delay = IntervalText.parseMillis(delayThreshold);
    } catch (IllegalArgumentException e) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "invalid delay threshold of"
          + " withWatermark: " + e.getMessage());
    }
    if (delay < 0) {
      throw new SluiceException(ErrorKind.WRONG_ARGUMENTS, "the delay threshold of withWatermark ("
          + delayThreshold + ") must not be negative");
    }
    return delay;
  }

  /** The ordinal of key column {@code name} of a deduplication. */
  public static int deduplicationKey(Schema schema, String name) {
    return schema.indexOf(name).orElseThrow(() -> new SluiceException(ErrorKind.UNKNOWN_COLUMN,
        "dropDuplicates: column '" + name + "' not found; available: "
            + String.join(", ", schema.names())));
  }
}
