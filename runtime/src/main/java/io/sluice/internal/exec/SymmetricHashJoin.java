package io.sluice.internal.exec;

import io.sluice.api.DataType;
import io.sluice.api.ErrorKind;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.TimeWindow;
import io.sluice.internal.analysis.Bound;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.IntVector;
import io.sluice.internal.batch.KeyReader;
import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.batch.LongVector;
import io.sluice.internal.batch.ObjectVector;
import io.sluice.internal.batch.PipelineStage;
import io.sluice.internal.codegen.QueryNaming;
import io.sluice.internal.codegen.StageCodegen;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.codegen.StageName;
import io.sluice.internal.exec.JoinEntries.Stored;
import io.sluice.internal.plan.JoinType;
import io.sluice.internal.plan.LogicalPlan;
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
 * value the rows, each with its event time ({@link JoinEntries}); {@link JoinLayout} records
 * their columns beside the state for the state reader. The batch's writes go to an overlay
 * applied as the batch's state version, so that a batch run again starts from the state before
 * it.
 */
final class SymmetricHashJoin implements RowOperator {
  private static final byte LEFT = JoinEntries.LEFT;
  private static final byte RIGHT = JoinEntries.RIGHT;

  private final StreamJoinPlan plan;
  private final StateStore store;
  private final ExecutorService workers;
  private final int retain;
  private final Schema input;
  private final KeyWriter key = new KeyWriter();
  private final KeyWriter row = new KeyWriter();
  private final KeyReader reader = new KeyReader();
  /** The generated filter of the condition's non-key part over (left, right, pair); or null. */
  private final @Nullable PipelineStage condition;
  /** The same for the conjuncts over the left's columns alone, and the right's; or null. */
  private final @Nullable PipelineStage leftSideOnly;
  private final @Nullable PipelineStage rightSideOnly;
  private final Schema conditionInput;
  /** The batch's input rows of each side, in order. */
  private final List<List<Pending>> pending = List.of(new ArrayList<>(), new ArrayList<>());
  /** The batch's writes by entry key; null for a removal. */
  private final Map<ByteBuffer, byte @Nullable []> overlay = new LinkedHashMap<>();
  /**
   * The watermark the last committed batch evicted by; a batch with a higher one scans, as does
   * one that stores a row that can go already.
   */
  private long evictedBy = Long.MIN_VALUE;
  private long nextEvictedBy = Long.MIN_VALUE;
  /** Whether the batch stored a row that its side's eviction lets go already. */
  private boolean storedRowCanGo;
  private long lateRows;
  private long updatedRows;
  private long removedRows;
  /** Rows removed, also those of a side whose removal emits null rows, which progress omits. */
  private long goneRows;
  /** The rows in committed state, and in state after the batch in progress. */
  private long committedRows;
  private long batchRows;

  /**
   * An input row: its key (which matches nothing when {@code nullKey}), its side's columns, its
   * event time (MAX_VALUE for none).
   */
  private record Pending(byte[] key, byte[] row, long time, boolean nullKey) {}

  SymmetricHashJoin(String operator, StreamJoinPlan plan, EngineContext context,
      @Nullable Path stateDirectory, long committedVersion) {
    this.plan = plan;
    this.workers = context.workers();
    this.retain = context.state().minBatchesToRetain();
    this.input = plan.inputSchema();
    this.conditionInput = conditionInput(plan);
    this.condition = compileFilter(operator, "Condition", "the condition",
        plan.condition(), context);
    this.leftSideOnly = compileFilter(operator, "LeftSideOnly", "the conjuncts over the left"
        + " alone of the condition", plan.leftSideOnly(), context);
    this.rightSideOnly = compileFilter(operator, "RightSideOnly", "the conjuncts over the right"
        + " alone of the condition", plan.rightSideOnly(), context);
    if (stateDirectory != null) {
      JoinLayout.of(plan).write(stateDirectory);
    }
    this.store = stateDirectory == null ? new StateStore(operator, context.state(), 32, 128)
        : StateStore.open(operator, stateDirectory.resolve("join"), context.state(), 32, 128,
            committedVersion, workers);
    for (int p = 0; p < store.partitionCount(); p++) {
      store.partition(p).forEach((k, v) -> committedRows += JoinEntries.count(v));
    }
    batchRows = committedRows;
  }

  private static Schema conditionInput(StreamJoinPlan plan) {
    List<Field> fields = new ArrayList<>(JoinType.INNER.schema(
        plan.leftSchema(), plan.rightSchema()).fields());
    fields.add(Field.required("__pair", DataType.LONG));
    return Schema.of(fields);
  }

  /**
   * Generates and compiles the stage that keeps the candidate pairs (or one side's rows, with
   * nulls for the other's) that {@code filter} holds for; null for no filter.
   */
  private @Nullable PipelineStage compileFilter(String operator, String part, String what,
      @Nullable Bound filter, EngineContext context) {
    if (filter == null) {
      return null;
    }
    GeneratedStage stage = StageCodegen.pipeline(new StageName(QueryNaming.RUNTIME_PACKAGE,
        operator + "_" + part, what + " of stream-stream join " + operator), conditionInput,
        List.of(new LogicalPlan.Filter(new LogicalPlan.StageInput(conditionInput), filter)));
    try {
      return (PipelineStage) context.compiler().compile(stage.file(), context.classLoader())
          .getConstructor(Object[].class).newInstance((Object) stage.constants());
    } catch (ReflectiveOperationException e) {
      throw new SluiceException(ErrorKind.CODEGEN, "cannot instantiate the stage of " + what
          + " of stream-stream join " + operator + ": " + e, e);
    }
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
        t = in.column(timeColumn) instanceof LongVector times ? times.values[r]
            : ((TimeWindow) ((ObjectVector) in.column(timeColumn)).values[r]).end();
        if (t <= time.lateWatermark) {
          lateRows++;
          continue;
        }
      }
      boolean nullKey = !writeKey(in, r);
      // A key with a null part matches nothing, as in SQL: only an outer join keeps the row.
      if (nullKey && !preserves((byte) side)) {
        continue;
      }
      int from = side == LEFT ? plan.leftStart() : plan.rightStart();
      int width = side == LEFT ? plan.leftWidth() : input.size() - plan.rightStart();
      row.reset();
      for (int c = from; c < from + width; c++) {
        RowEncoding.put(row, in.column(c), input.field(c).type(), r);
      }
      pending.get(side).add(new Pending(key.toByteArray(), row.toByteArray(), t, nullKey));
    }
  }

  /** Writes the row's key; false when a part is null. */
  private boolean writeKey(ColumnBatch in, int r) {
    key.reset();
    boolean complete = true;
    for (int k = 0; k < plan.keyTypes().size(); k++) {
      complete &= !in.column(1 + k).isNull(r);
      RowEncoding.put(key, in.column(1 + k), plan.keyTypes().get(k), r);
    }
    return complete;
  }

  /**
   * Matches the left rows with the stored right rows and stores them, then the right rows with
   * all left rows, as Spark does; removes what the watermark lets go (emitting an outer join's
   * rows that never matched, with nulls), and writes the changes as {@code version}.
   */
  @Override
  public void finish(long version, BatchEventTime time, List<ColumnBatch> out) {
    ColumnBatch joined = new ColumnBatch(plan.outputSchema(), ColumnBatch.DEFAULT_CHUNK_ROWS);
    updatedRows = 0;
    removedRows = 0;
    goneRows = 0;
    storedRowCanGo = false;
    leftPhase(joined, time);
    rightPhase(joined, time);
    // Rows stored before were kept at a watermark as high when it has not moved; only a row
    // stored now, behind a bound ahead of the watermark (l.time > r.time + interval 5 minutes
    // lets left rows go at W + 5 minutes), can go without it moving, and Spark lets it go.
    if (time.hasWatermark && (time.watermark > evictedBy || storedRowCanGo)) {
      evict(LEFT, plan.leftEviction(), time, preserves(LEFT) ? joined : null);
      evict(RIGHT, plan.rightEviction(), time, preserves(RIGHT) ? joined : null);
    }
    nextEvictedBy = time.hasWatermark ? time.watermark : evictedBy;
    batchRows = committedRows + updatedRows - goneRows;
    apply(version);
    if (joined.size() > 0) {
      out.add(joined);
    }
  }

  /** Whether the join keeps the rows of {@code side} that find no match, with nulls. */
  private boolean preserves(byte side) {
    return side == LEFT ? plan.joinType().keepsUnmatchedLeft()
        : plan.joinType().keepsUnmatchedRight();
  }

  /**
   * The batch's rows of {@code side} that pass the conjuncts of the condition over that side
   * alone. As in Spark, a row that fails them can meet no row: it is not stored, and a join that
   * keeps the side's unmatched rows emits it with nulls at once.
   */
  private List<Pending> admitted(byte side, ColumnBatch joined, BatchEventTime time) {
    List<Pending> rows = pending.get(side);
    PipelineStage filter = side == LEFT ? leftSideOnly : rightSideOnly;
    if (filter == null) {
      return rows;
    }
    Candidates candidates = new Candidates(filter);
    for (int i = 0; i < rows.size(); i++) {
      byte[] row = rows.get(i).row;
      candidates.add(side == LEFT ? row : null, side == LEFT ? null : row, i, i);
    }
    boolean[] passes = new boolean[rows.size()];
    candidates.passing(time).forEach(pair -> passes[pair[0]] = true);
    List<Pending> admitted = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (passes[i]) {
        admitted.add(rows.get(i));
      } else if (preserves(side)) {
        emitWithNulls(side, rows.get(i).row, joined);
      }
    }
    return admitted;
  }

  /** The batch's left rows against the right rows of earlier batches; then they are stored. */
  private void leftPhase(ColumnBatch joined, BatchEventTime time) {
    List<Pending> lefts = admitted(LEFT, joined, time);
    boolean[] matched = new boolean[lefts.size()];
    Candidates candidates = new Candidates(condition);
    for (int i = 0; i < lefts.size(); i++) {
      List<Stored> rights = lefts.get(i).nullKey ? List.of() : rows(RIGHT, lefts.get(i).key);
      for (int j = 0; j < rights.size(); j++) {
        candidates.add(lefts.get(i).row, rights.get(j).row(), i, j);
      }
    }
    boolean semi = plan.joinType() == JoinType.LEFT_SEMI;
    for (int[] pair : candidates.passing(time)) {
      Pending left = lefts.get(pair[0]);
      if (!semi) {
        emit(left.row, rows(RIGHT, left.key).get(pair[1]).row(), joined);
      } else if (!matched[pair[0]]) {
        emit(left.row, null, joined);
      }
      matched[pair[0]] = true;
      markMatched(RIGHT, left.key, pair[1]);
    }
    for (int i = 0; i < lefts.size(); i++) {
      // A semi join's left row that matched is done: it is emitted once.
      if (!(semi && matched[i])) {
        append(LEFT, lefts.get(i), matched[i], time);
      }
    }
  }

  /** The batch's right rows against every stored left row, this batch's included. */
  private void rightPhase(ColumnBatch joined, BatchEventTime time) {
    List<Pending> rights = admitted(RIGHT, joined, time);
    boolean[] matched = new boolean[rights.size()];
    boolean semi = plan.joinType() == JoinType.LEFT_SEMI;
    Candidates candidates = new Candidates(condition);
    for (int i = 0; i < rights.size(); i++) {
      List<Stored> lefts = rights.get(i).nullKey ? List.of() : rows(LEFT, rights.get(i).key);
      for (int j = 0; j < lefts.size(); j++) {
        if (!(semi && lefts.get(j).matched())) {
          candidates.add(lefts.get(j).row(), rights.get(i).row, i, j);
        }
      }
    }
    for (int[] pair : candidates.passing(time)) {
      Pending right = rights.get(pair[0]);
      Stored left = rows(LEFT, right.key).get(pair[1]);
      if (!semi) {
        emit(left.row(), right.row, joined);
      } else if (!left.matched()) {
        emit(left.row(), null, joined);
      }
      matched[pair[0]] = true;
      markMatched(LEFT, right.key, pair[1]);
    }
    for (int i = 0; i < rights.size(); i++) {
      Pending right = rights.get(i);
      // A right row the watermark already lets go has met every left row it ever can; an outer
      // join keeps it if it matched none, to emit it with nulls when it goes.
      boolean goes = evictable(plan.rightEviction(), right.key, right.time, time);
      if (!goes || preserves(RIGHT) && !matched[i]) {
        append(RIGHT, right, matched[i], time);
      }
    }
  }

  /**
   * The pairs of a phase whose key matched, checked against the rest of the join condition by
   * a generated filter stage (none: all pass); each pair is (input row, stored row's index in
   * its entry).
   */
  private final class Candidates {
    private final List<int[]> pairs = new ArrayList<>();
    private final @Nullable PipelineStage filter;
    private final @Nullable ColumnBatch rows;

    Candidates(@Nullable PipelineStage filter) {
      this.filter = filter;
      this.rows = filter == null ? null
          : new ColumnBatch(conditionInput, ColumnBatch.DEFAULT_CHUNK_ROWS);
    }

    void add(byte @Nullable [] left, byte @Nullable [] right, int input, int stored) {
      if (rows != null) {
        decode(left, right, rows);
        ((LongVector) rows.column(conditionInput.size() - 1)).append(pairs.size());
      }
      pairs.add(new int[] {input, stored});
    }

    List<int[]> passing(BatchEventTime time) {
      if (filter == null || rows == null || pairs.isEmpty()) {
        return pairs;
      }
      ColumnBatch held = new ColumnBatch(conditionInput, Math.max(1, rows.size()));
      try {
        filter.process(rows, held, time);
      } catch (Exception e) {
        throw new QueryFailure.Unchecked("the condition of the stream-stream join", e);
      }
      LongVector ids = (LongVector) held.column(conditionInput.size() - 1);
      List<int[]> passing = new ArrayList<>(held.size());
      for (int r = 0; r < held.size(); r++) {
        passing.add(pairs.get((int) ids.values[r]));
      }
      return passing;
    }
  }

  /** Appends a joined row; {@code right} null for a left row alone (semi) or with nulls. */
  private void emit(byte @Nullable [] left, byte @Nullable [] right, ColumnBatch joined) {
    int nl = plan.leftWidth();
    read(left, joined, 0, nl);
    if (plan.joinType() != JoinType.LEFT_SEMI) {
      read(right, joined, nl, joined.schema().size());
    }
  }

  /** A row of {@code side} alone, with nulls for the other side's columns. */
  private void emitWithNulls(byte side, byte[] row, ColumnBatch joined) {
    emit(side == LEFT ? row : null, side == LEFT ? null : row, joined);
  }

  /** Appends a candidate pair's columns, left then right (null: nulls), to a filter's input. */
  private void decode(byte @Nullable [] left, byte @Nullable [] right, ColumnBatch rows) {
    int nl = plan.leftWidth();
    read(left, rows, 0, nl);
    read(right, rows, nl, conditionInput.size() - 1);
  }

  /** Appends a stored row's columns to columns {@code from} to {@code to}; null: all nulls. */
  private void read(byte @Nullable [] row, ColumnBatch out, int from, int to) {
    if (row != null) {
      reader.reset(row, 0);
    }
    for (int c = from; c < to; c++) {
      if (row == null) {
        out.column(c).appendNull();
      } else {
        reader.readInto(out.column(c), out.schema().field(c).type());
      }
    }
  }

  private void markMatched(byte side, byte[] key, int index) {
    List<Stored> rows = new ArrayList<>(rows(side, key));
    if (!rows.get(index).matched()) {
      rows.set(index, rows.get(index).asMatched());
      overlay.put(ByteBuffer.wrap(JoinEntries.key(side, key)), JoinEntries.encode(rows));
    }
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
    byte[] entry = read(JoinEntries.key(side, key));
    return entry == null ? List.of() : JoinEntries.decode(entry);
  }

  private void append(byte side, Pending row, boolean matched, BatchEventTime time) {
    byte[] k = JoinEntries.key(side, row.key);
    List<Stored> rows = new ArrayList<>(rows(side, row.key));
    rows.add(new Stored(row.time, row.row, matched));
    overlay.put(ByteBuffer.wrap(k), JoinEntries.encode(rows));
    updatedRows++;
    storedRowCanGo |= evictable(side == LEFT ? plan.leftEviction() : plan.rightEviction(),
        row.key, row.time, time);
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

  /**
   * Removes the rows of {@code side} the watermark lets go, from every entry of the side; with
   * {@code nulls}, appends there each one that never matched, with nulls for the other side.
   */
  private void evict(byte side, StateEviction eviction, BatchEventTime time,
      @Nullable ColumnBatch nulls) {
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
      List<Stored> rows = JoinEntries.decode(v);
      List<Stored> kept = new ArrayList<>();
      for (Stored s : rows) {
        if (!evictable(eviction, joinKey, s.time(), time)) {
          kept.add(s);
        } else if (nulls != null && !s.matched()) {
          emitWithNulls(side, s.row(), nulls);
        }
      }
      if (kept.size() < rows.size()) {
        goneRows += rows.size() - kept.size();
        // As Spark, progress counts only the rows its final clean-up removes, not those of the
        // side whose removal emits an outer join's null rows.
        if (nulls == null) {
          removedRows += rows.size() - kept.size();
        }
        overlay.put(k, kept.isEmpty() ? null : JoinEntries.encode(kept));
      }
    });
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
    committedRows = batchRows;
    store.afterCommit(committed, retain);
  }

  /** When the watermark moved and some side's rows can go by it, as Spark. */
  @Override
  public boolean needsBatchWithoutData(boolean watermarkMoved, long now) {
    return watermarkMoved && (plan.leftEviction().kind() != StateEviction.Kind.NEVER
        || plan.rightEviction().kind() != StateEviction.Kind.NEVER);
  }

  @Override
  public StateOperatorProgress progress(int statePartitions, long allUpdatesTimeMs) {
    // Spark names the operator so.
    // Rows, not entries, as Spark counts the join's state.
    return new StateOperatorProgress("symmetricHashJoin", batchRows, updatedRows,
        allUpdatesTimeMs, removedRows, MicroBatchExecution.millis(store.takeCommitNanos()),
        store.offHeapBytes(), lateRows, statePartitions, statePartitions);
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
