package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Moves records between the columns of a batch and Java objects, for operators that hand records
 * to user functions outside generated code: a row becomes a record through its constructor, a
 * record becomes a row through its accessors. TIMESTAMP columns hold epoch ms; an {@code
 * Instant} component is converted both ways.
 */
final class RecordRows {
  private final RecordSchema schema;
  private final MethodHandle constructor;
  private final MethodHandle[] accessors;
  private final boolean[] instants;

  RecordRows(RecordSchema schema) {
    this.schema = schema;
    int n = schema.schema().size();
    this.accessors = new MethodHandle[n];
    this.instants = new boolean[n];
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      this.constructor = lookup.unreflectConstructor(schema.constructor())
          .asSpreader(Object[].class, n).asType(MethodType.methodType(Object.class,
              Object[].class));
      for (int i = 0; i < n; i++) {
        accessors[i] = lookup.unreflect(schema.accessorMethod(i))
            .asType(MethodType.methodType(Object.class, Object.class));
        instants[i] = schema.javaClass(i) == Instant.class;
      }
    } catch (IllegalAccessException e) {
      throw new SluiceException(ErrorKind.INVALID_EVENT_TYPE, "cannot read or build "
          + schema.type().getName() + ": " + e, e);
    }
  }

  /** The record row {@code row} of {@code batch} stands for. */
  Object read(ColumnBatch batch, int row) {
    Object[] args = new Object[accessors.length];
    for (int i = 0; i < args.length; i++) {
      Object v = batch.column(i).getBoxed(row);
      args[i] = instants[i] && v != null ? Instant.ofEpochMilli((Long) v) : v;
    }
    try {
      return constructor.invoke(args);
    } catch (Throwable e) {
      throw new SluiceException(ErrorKind.EXECUTION, "cannot build "
          + schema.type().getName() + " from row " + java.util.Arrays.toString(args) + ": " + e,
          e);
    }
  }

  /** Appends {@code record} to {@code batch} as one row. */
  void append(@Nullable Object record, ColumnBatch batch, String what) {
    if (record == null) {
      throw new SluiceException(ErrorKind.EXECUTION, what + " returned null; return a "
          + schema.type().getSimpleName() + ", or no record (from a flatMap function)");
    }
    for (int i = 0; i < accessors.length; i++) {
      Object v;
      try {
        v = accessors[i].invoke(record);
      } catch (Throwable e) {
        throw new SluiceException(ErrorKind.EXECUTION, "cannot read "
            + schema.schema().field(i).name() + " of " + record + ": " + e, e);
      }
      batch.column(i).appendBoxed(instants[i] && v != null ? ((Instant) v).toEpochMilli() : v);
    }
  }
}
