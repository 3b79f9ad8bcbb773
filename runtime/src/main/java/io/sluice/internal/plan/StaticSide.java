package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.StaticTable;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The bounded side of a stream-static join as a query holds it: read and hashed into a {@link
 * StaticTable} when the first batch needs it, then kept for the query's life.
 */
public final class StaticSide {
  private final Supplier<List<ColumnBatch>> read;
  private final List<DataType> keyTypes;
  private final Schema columns;
  private volatile @Nullable StaticTable table;

  /**
   * A side whose rows {@code read} gives, each its join key ({@code keyTypes}) followed by the
   * side's {@code columns}.
   */
  public StaticSide(Supplier<List<ColumnBatch>> read, List<DataType> keyTypes, Schema columns) {
    this.read = read;
    this.keyTypes = List.copyOf(keyTypes);
    this.columns = columns;
  }

  /** The hash table, read the first time it is asked for. */
  public StaticTable table() {
    StaticTable built = table;
    if (built == null) {
      synchronized (this) {
        built = table;
        if (built == null) {
          built = StaticTable.build(read.get(), keyTypes, columns);
          table = built;
        }
      }
    }
    return built;
  }
}
