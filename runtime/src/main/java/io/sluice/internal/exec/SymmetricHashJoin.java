package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.Schema;
import io.sluice.api.StateOperatorProgress;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.IntVector;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.batch.LongVector;
import io.sluice.internal.plan.StateEviction;
import io.sluice.internal.plan.StreamJoinPlan;
import io.sluice.internal.state.StateChanges;
import io.sluice.internal.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * A stream-stream join, as Spark's symmetric hash join: each side's rows are kept in state by
 * join key; a batch's left rows are matched with the right rows of earlier batches and stored,
 * then its right rows with all the left rows, so that each pair is produced once. Rows behind
 * the previous batch's watermark are late and dropped; stored rows go once the watermark shows
 * that no row of the other side can match them ({@link StateEviction}).
 *
 * <p>A state entry is one side's rows of one key: its key is the side and the key's bytes, its
 * value the rows, each with its event time. The batch's writes go to an overlay applied as the
 * batch's state version, so that a batch run again starts from the state before it.
 */
final class SymmetricHashJoin implements RowOperator {
  private static final byte LEFT = 0;
  private static final byte RIGHT = 1;

  private final StreamJoinPlan plan;
  private final StateStore store;
  private final ExecutorService workers;
  private final int retain;
  private final Schema input;
  private final KeyWriter key = new KeyWriter();
  private final KeyWriter row = new KeyWriter();
  private final KeyReader reader = new KeyReader();
  /** The batch's input rows of each side, in order. */
  private final List<List<Pending>> pending = List.of(new ArrayList<>(), new ArrayList<>());
  /** The batch's writes by entry key; null for a removal. */
  private final Map<ByteBuffer, byte @Nullable []> overlay = new LinkedHashMap<>();
  /** The watermark the last committed batch evicted by; a batch with a higher one scans. */
  private long evictedBy = Long.MIN_VALUE;
  private long nextEvictedBy = Long.MIN_VALUE;
  private long lateRows;
  private long updatedRows;
  private long removedRows;

  /** An input row: its key, its side's columns, its event time (MAX_VALUE for none). */
  private record Pending(byte[] key, byte[] row, long time) {}

  SymmetricHashJoin(String operator, StreamJoinPlan plan, EngineContext context,
      @Nullable Path stateDirectory, long committedVersion) {
    this.plan = plan;
    this.workers = context.workers();
    this.retain = context.state().minBatchesToRetain();
    this.input = plan.inputSchema();
    this.store = stateDirectory == null ? new StateStore(operator, context.state(), 32, 128)
        : StateStore.open(operator, stateDirectory.resolve("join"), context.state(), 32, 128,
            committedVersion, workers);
  }

  @Override
  public void beginBatch() {
    pending.forEach(List::clear);
    overlay.clear();
    lateRows = 0;
    store.beginBatch();
  }

  /** Holds the rows by side; a row behind the previous batch's watermark is late and dropped. */
  @Override
  public void accept(ColumnBatch in, ColumnBatch out, BatchEventTime time) {
    IntVector sides = (IntVector) in.column(0);
    for (int r = 0; r < in.size(); r++) {
      int side = sides.values[r];
      int timeColumn = side == LEFT ? plan.leftTime() : plan.rightTime();
      long t = Long.MAX_VALUE;
      if (timeColumn >= 0 && !in.column(timeColumn).isNull(r)) {
        t = ((LongVector) in.column(timeColumn)).values[r];
        if (t <= time.lateWatermark) {
          lateRows++;
          continue;
        }
      }
      if (!writeKey(in, r)) {
        // A key with a null part matches nothing, as in SQL: an inner join drops the row.
        continue;
      }
      int from = side == LEFT ? plan.leftStart() : plan.rightStart();
      int width = side == LEFT ? plan.leftWidth() : input.size() - plan.rightStart();
      row.reset();
      for (int c = from; c < from + width; c++) {
        RowEncoding.put(row, in.column(c), input.field(c).type(), r);
      }
      pending.get(side).add(new Pending(key.toByteArray(), row.toByteArray(), t));
    }
  }

  private boolean writeKey(ColumnBatch in, int r) {
    key.reset();
    for (int k = 0; k < plan.keyTypes().size(); k++) {
      if (in.column(1 + k).isNull(r)) {
        return false;
      }
      RowEncoding.put(key, in.column(1 + k), plan.keyTypes().get(k), r);
    }
    return true;
  }

  /**
   * Matches the left rows with the stored right rows and stores them, then the right rows with
   * all left rows; removes what the watermark lets go, and writes the changes as {@code version}.
   */
  @Override
  public void finish(long version, BatchEventTime time, List<ColumnBatch> out) {
    ColumnBatch joined = new ColumnBatch(plan.outputSchema(), ColumnBatch.DEFAULT_CHUNK_ROWS);
    updatedRows = 0;
    removedRows = 0;
    for (Pending left : pending.get(LEFT)) {
      for (Stored right : rows(RIGHT, left.key)) {
        emit(left.row, right.row, joined);
      }
      append(LEFT, left);
    }
    for (Pending right : pending.get(RIGHT)) {
      for (Stored left : rows(LEFT, right.key)) {
        emit(left.row, right.row, joined);
      }
      // A right row the watermark already lets go has met every left row it ever can.
      if (!evictable(plan.rightEviction(), right.key, right.time, time)) {
        append(RIGHT, right);
      }
    }
    if (time.hasWatermark && time.watermark > evictedBy) {
      evict(LEFT, plan.leftEviction(), time);
      evict(RIGHT, plan.rightEviction(), time);
    }
    nextEvictedBy = time.hasWatermark ? time.watermark : evictedBy;
    apply(version);
    if (joined.size() > 0) {
      out.add(joined);
    }
  }

  private void emit(byte[] left, byte[] right, ColumnBatch joined) {
    Schema output = joined.schema();
    int nl = plan.leftWidth();
    reader.reset(left, 0);
    for (int c = 0; c < nl; c++) {
      reader.readInto(joined.column(c), output.field(c).type());
    }
    reader.reset(right, 0);
    for (int c = nl; c < output.size(); c++) {
      reader.readInto(joined.column(c), output.field(c).type());
    }
  }

  /** A stored row: its event time and its side's columns. */
  private record Stored(long time, byte[] row) {}

  private static byte[] entryKey(byte side, byte[] key) {
    byte[] k = new byte[key.length + 1];
    k[0] = side;
    System.arraycopy(key, 0, k, 1, key.length);
    return k;
  }

  private byte @Nullable [] read(byte[] entryKey) {
    ByteBuffer k = ByteBuffer.wrap(entryKey);
    if (overlay.containsKey(k)) {
      return overlay.get(k);
    }
    return store.partition(partitionOf(entryKey)).get(entryKey);
  }

  private int partitionOf(byte[] entryKey) {
    return store.partitionOf(KeyWriter.hash(entryKey, 0, entryKey.length));
  }

  private List<Stored> rows(byte side, byte[] key) {
    byte[] entry = read(entryKey(side, key));
    return entry == null ? List.of() : decode(entry);
  }

  private void append(byte side, Pending row) {
    byte[] k = entryKey(side, row.key);
    List<Stored> rows = new ArrayList<>(rows(side, row.key));
    rows.add(new Stored(row.time, row.row));
    overlay.put(ByteBuffer.wrap(k), encode(rows));
    updatedRows++;
  }

  /** Whether a row of a side, of {@code key} at {@code time}, can go at this batch's watermark. */
  private boolean evictable(StateEviction eviction, byte[] key, long time,
      BatchEventTime batch) {
    if (!batch.hasWatermark) {
      return false;
    }
    switch (eviction.kind()) {
      case KEY:
        return keyTime(key, eviction) <= batch.watermark;
      case VALUE:
        return time != Long.MAX_VALUE && time <= batch.watermark + eviction.offsetMs();
      default:
        return false;
    }
  }

  private long keyTime(byte[] key, StateEviction eviction) {
    reader.reset(key, 0);
    for (int k = 0; k < eviction.keyIndex(); k++) {
      reader.skip(plan.keyTypes().get(k));
    }
    return reader.readEventTime(plan.keyTypes().get(eviction.keyIndex()));
  }

  /** Removes the rows of {@code side} the watermark lets go, from every entry of the side. */
  private void evict(byte side, StateEviction eviction, BatchEventTime time) {
    if (eviction.kind() == StateEviction.Kind.NEVER) {
      return;
    }
    Map<ByteBuffer, byte[]> entries = new LinkedHashMap<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      store.partition(p).forEach((k, v) -> {
        if (k[0] == side) {
          entries.put(ByteBuffer.wrap(k), v);
        }
      });
    }
    overlay.forEach((k, v) -> {
      if (k.get(0) == side) {
        entries.put(k, v);
      }
    });
    entries.forEach((k, v) -> {
      if (v == null) {
        return;
      }
      byte[] joinKey = Arrays.copyOfRange(k.array(), 1, k.array().length);
      List<Stored> rows = decode(v);
      List<Stored> kept = new ArrayList<>();
      for (Stored s : rows) {
        if (!evictable(eviction, joinKey, s.time, time)) {
          kept.add(s);
        }
      }
      if (kept.size() < rows.size()) {
        removedRows += rows.size() - kept.size();
        overlay.put(k, kept.isEmpty() ? null : encode(kept));
      }
    });
  }

  private static List<Stored> decode(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry);
    int n = in.getInt();
    List<Stored> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long time = in.getLong();
      byte[] r = new byte[in.getInt()];
      in.get(r);
      rows.add(new Stored(time, r));
    }
    return rows;
  }

  private static byte[] encode(List<Stored> rows) {
    int size = 4;
    for (Stored s : rows) {
      size += 12 + s.row.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).putInt(rows.size());
    for (Stored s : rows) {
      out.putLong(s.time).putInt(s.row.length).put(s.row);
    }
    return out.array();
  }

  private void apply(long version) {
    List<StateChanges> changes = new ArrayList<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      changes.add(new StateChanges());
    }
    overlay.forEach((k, after) -> {
      byte[] entryKey = k.array();
      int p = partitionOf(entryKey);
      byte[] before = store.partition(p).get(entryKey);
      if (before != null || after != null) {
        changes.get(p).add(entryKey, before, after);
      }
    });
    store.apply(version, changes, workers, "stream-stream join state");
  }

  @Override
  public void afterCommit(long committed) {
    evictedBy = nextEvictedBy;
    store.afterCommit(committed, retain, workers);
  }

  /** When the watermark moved and some side's rows can go by it, as Spark. */
  @Override
  public boolean needsBatchWithoutData(boolean watermarkMoved, long now) {
    return watermarkMoved && (plan.leftEviction().kind() != StateEviction.Kind.NEVER
        || plan.rightEviction().kind() != StateEviction.Kind.NEVER);
  }

  @Override
  public StateOperatorProgress progress(int statePartitions) {
    // Spark names the operator so.
    return new StateOperatorProgress("symmetricHashJoin", store.size(), updatedRows,
        removedRows, store.offHeapBytes(), lateRows, statePartitions);
  }

  @Override
  public String describe() {
    return "stream-stream join";
  }

  @Override
  public void close() {
    store.close();
  }
}
