package io.sluice.internal.plan;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.StaticTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The bounded side of a stream-static join as a query holds it: read and hashed into a {@link
 * StaticTable} when the first batch needs it, then kept; with {@code reloadEvery}, read again by
 * the first batch that starts once the interval has passed since the last read.
 *
 * <p>The schedule follows each batch's processing time as logged with the batch, not the clock
 * at the moment of asking, so a batch run again reloads (or not) as its first run did, and every
 * chunk of a batch sees one table. A stage asks once per chunk; between reloads that costs a
 * volatile read.
 */
public final class StaticSide {
  private final Supplier<List<ColumnBatch>> read;
  private final List<DataType> keyTypes;
  private final Schema columns;
  private final String description;
  /** How long a read table serves, in ms; 0: for the query's life. */
  private final long reloadMillis;
  private volatile @Nullable Loaded loaded;

  /** A table and the processing time of the batch that read it. */
  private record Loaded(StaticTable table, long batchTime) {}

  /**
   * The side {@code bounded}, whose rows {@code read} gives, each its join key ({@code
   * keyTypes}) followed by {@code bounded}'s columns; a {@link LogicalPlan.ReloadEvery} in it
   * sets how often it is read again.
   */
  public StaticSide(Supplier<List<ColumnBatch>> read, List<DataType> keyTypes,
      LogicalPlan bounded) {
    this.read = read;
    this.keyTypes = List.copyOf(keyTypes);
    this.columns = bounded.schema();
    this.description = describe(bounded);
    Duration every = reloadInterval(bounded);
    this.reloadMillis = every == null ? 0 : every.toMillis();
  }

  /**
   * The hash table for a batch whose processing time is {@code batchTime}: read the first time,
   * and again when the last read is at least the reload interval older than {@code batchTime}.
   */
  public StaticTable table(long batchTime) {
    Loaded current = loaded;
    if (current == null || due(current, batchTime)) {
      current = load(batchTime);
    }
    return current.table();
  }

  private boolean due(Loaded current, long batchTime) {
    return reloadMillis > 0 && batchTime - current.batchTime() >= reloadMillis;
  }

  private synchronized Loaded load(long batchTime) {
    Loaded current = loaded;
    if (current != null && !due(current, batchTime)) {
      return current; // another query sharing this side read it first
    }
    StaticTable table = current == null ? build() : reload();
    Loaded next = new Loaded(table, batchTime);
    loaded = next;
    return next;
  }

  private StaticTable build() {
    return StaticTable.build(read.get(), keyTypes, columns);
  }

  /** Reads the side again; a failure says so and names the side, keeping the cause. */
  private StaticTable reload() {
    try {
      return build();
    } catch (RuntimeException e) {
      SluiceException inner = innermost(e);
      ErrorKind kind = inner == null ? ErrorKind.EXECUTION : inner.kind();
      String detail = inner == null ? e.toString()
          : inner.getMessage().substring(("[Sluice/" + kind.id() + "] ").length());
      throw new SluiceException(kind, "reloading the bounded side of a join (" + description
          + ") failed: " + detail, e);
    }
  }

  /**
   * The innermost Sluice error in {@code e}'s causes, which says what went wrong (a malformed
   * line, a missing folder) without the wrappers of the side's own bounded run.
   */
  private static @Nullable SluiceException innermost(Throwable e) {
    SluiceException found = null;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof SluiceException s) {
        found = s;
      }
    }
    return found;
  }

  /** The sources the side reads, for messages: {@code FileSource[/data/ads]}. */
  private static String describe(LogicalPlan bounded) {
    List<String> scans = new ArrayList<>();
    collect(bounded, node -> {
      if (node instanceof LogicalPlan.Scan s) {
        scans.add(s.description());
      }
    });
    return String.join(", ", scans);
  }

  /** The shortest {@code reloadEvery} interval in {@code bounded}; null if it has none. */
  private static @Nullable Duration reloadInterval(LogicalPlan bounded) {
    List<Duration> intervals = new ArrayList<>();
    collect(bounded, node -> {
      if (node instanceof LogicalPlan.ReloadEvery r) {
        intervals.add(r.interval());
      }
    });
    return intervals.stream().min(Duration::compareTo).orElse(null);
  }

  private static void collect(LogicalPlan node, Consumer<LogicalPlan> visit) {
    visit.accept(node);
    node.children().forEach(child -> collect(child, visit));
  }
}
