package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.OutputMode;
import io.sluice.api.QueryableState;
import io.sluice.api.SluiceException;
import io.sluice.api.Schema;
import io.sluice.api.SinkProgress;
import io.sluice.api.SourceProgress;
import io.sluice.api.StateOperatorProgress;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.internal.batch.BatchEventTime;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.EventTimeStats;
import io.sluice.internal.codegen.QueryNaming;
import io.sluice.internal.codegen.StageCodegen.GeneratedStage;
import io.sluice.internal.connector.ChunkConsumer;
import io.sluice.internal.connector.Offset;
import io.sluice.internal.connector.Sink;
import io.sluice.internal.connector.Source;
import io.sluice.internal.connector.UnionSource;
import io.sluice.internal.plan.QueryPlan;
import io.sluice.internal.plan.StreamJoinPlan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Runs a query as a sequence of micro-batches: decide the offset range, read it through the
 * generated stages, merge state, write the sink, move the committed offset.
 *
 * <p>Not thread-safe: one thread (the query's, or a test's) drives it.
 */
public final class MicroBatchExecution implements AutoCloseable {
  /**
   * The rows of a batch's first output, operator input and operator output chunks; they grow as
   * rows come, so that a batch of a few rows does not allocate and zero full chunks.
   */
  private static final int FIRST_CHUNK_ROWS = 64;

  private final UUID id;
  private final UUID runId;
  private final String name;
  private final Source source;
  private final ReadAhead readAhead;
  private final Sink sink;
  private final OutputMode mode;
  private final EngineContext context;
  private final CompiledQuery compiled;
  private final Schema outputSchema;
  private final @Nullable StatefulAggregation aggregation;
  private final @Nullable RowOperator operator;
  private final @Nullable QueryCheckpoint checkpoint;
  private @Nullable Offset committed;
  /** The end of a batch the log holds but no commit does: re-run first, with the same offsets. */
  private @Nullable Offset pendingEnd;
  private final WatermarkTracker watermarks;
  /** The watermark the last batch ran with: the next batch judges late rows by it. */
  private long lastBatchWatermark;
  /** The watermark of the batch to re-run first, from the offset log. */
  private long pendingWatermark;
  /** The processing time of the batch to re-run first, from the offset log. */
  private long pendingTimestamp;
  /** As in Spark, no batch without data runs after a start before a batch with data has. */
  private boolean ranBatch;
  /** For a union, the rows each input read in the current batch. */
  private long[] inputRowsByInput = new long[1];
  private long nextBatchId;
  private long previousTriggerStart = -1;
  /** Time in the row operator's state work in the current batch: progress's allUpdatesTimeMs. */
  private long operatorNanos;
  /** Time merging the current batch into the aggregation's state. */
  private long aggregationNanos;

  /**
   * Prepares a query: {@code naming} names its generated classes, and {@code precompiled}, when not
   * null, is the class loader of the {@code @StreamQuery} class whose build-time stages to use.
   */
  public MicroBatchExecution(UUID id, UUID runId, String name, QueryPlan plan, Sink sink,
      OutputMode mode, EngineContext context, QueryNaming naming,
      @Nullable ClassLoader precompiled, @Nullable Path checkpointLocation) {
    this.id = id;
    this.runId = runId;
    this.name = name;
    this.readAhead = new ReadAhead(name);
    this.sink = sink;
    this.mode = mode;
    this.context = context;
    this.compiled = CompiledQuery.compile(plan, naming, precompiled, context);
    this.outputSchema = plan.outputSchema();
    this.watermarks = new WatermarkTracker(plan.watermarks(), context.watermarkPolicy());
    this.checkpoint = checkpointLocation == null ? null
        : QueryCheckpoint.open(checkpointLocation, plan, context.state());
    Source created = null;
    try {
      created = plan.scan().source().create(context.clock());
      this.source = created;
      if (checkpoint != null) {
        if (source instanceof UnionSource union) {
          union.useCheckpoints(checkpoint::sourceDirectory);
        } else {
          source.useCheckpoint(checkpoint.sourceDirectory(0));
        }
        QueryCheckpoint.Recovery recovery = checkpoint.recover(source);
        this.nextBatchId = recovery.nextBatchId();
        this.committed = recovery.committed();
        this.pendingEnd = recovery.pendingEnd();
        this.pendingWatermark = recovery.watermark();
        this.pendingTimestamp = recovery.batchTimestamp();
        // Also before a re-run: the batch re-run sees no event time (a batch without data) or
        // earlier ones than those that set its watermark, and must not bring the watermark down
        // for the batches after it, which would take keys already evicted as new.
        watermarks.restore(recovery.watermark());
        this.lastBatchWatermark = recovery.lateWatermark();
      }
      Path stateDirectory = checkpoint == null ? null : checkpoint.stateDirectory().resolve("0");
      this.operator = plan.operator() == null ? null
          : RowOperator.create(naming.prefix(), plan.operator(), context, stateDirectory,
              nextBatchId);
      this.aggregation = plan.aggregation() == null ? null
          : new StatefulAggregation(naming.prefix() + "-aggregate", plan.aggregation(),
              context.state(), context.workers(), stateDirectory, nextBatchId);
    } catch (RuntimeException e) {
      if (created != null) {
        created.stop();
      }
      if (checkpoint != null) {
        checkpoint.close();
      }
      throw e;
    }
  }

  /** The query's id: the checkpoint's, when there is one, so that it survives restarts. */
  public UUID id() {
    return checkpoint != null ? checkpoint.queryId() : id;
  }

  public UUID runId() {
    return runId;
  }

  public String name() {
    return name;
  }

  /** Which compiler built each stage: {@code Janino}, or {@code javac (build time)}. */
  public List<String> compilers() {
    return compiled.compilers;
  }

  /** The generated source of each stage, in order. */
  public List<GeneratedStage> generatedStages() {
    return compiled.sources;
  }

  public Source source() {
    return source;
  }

  /** The state of the query's state function, read as of the last committed batch. */
  public <K, S> QueryableState<K, S> queryableState(Class<K> keyType, Class<S> stateType) {
    if (!(operator instanceof GroupsWithState g)) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "query '" + name + "' has no"
          + " state function (mapGroupsWithState or flatMapGroupsWithState) whose state to read");
    }
    return g.queryable(keyType, stateType);
  }

  /**
   * A state variable of the query's {@code transformWithState}, read as of the last committed
   * batch; {@code kind} and {@code types} say how the caller reads it.
   */
  <K, V> QueryableState<K, V> queryableState(String variable, byte kind, Class<K> keyType,
      List<Class<?>> types) {
    if (!(operator instanceof TransformWithState t)) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION, "query '" + name + "' has no"
          + " transformWithState whose state variable '" + variable + "' to read");
    }
    return t.queryable(variable, kind, keyType, types);
  }

  /** The id the next batch will get. */
  public long nextBatchId() {
    return nextBatchId;
  }

  /**
   * Runs one batch if there is new data, or if the watermark has moved so that state may close
   * (Spark's no-data batch); returns its progress, or null if nothing ran.
   */
  public @Nullable StreamingQueryProgress runBatch() {
    long triggerStart = System.nanoTime();
    long timestamp = context.clock().millis();
    Offset start = committed;
    boolean rerun = pendingEnd != null;
    Offset end = rerun ? pendingEnd : source.latestOffset(start);
    long afterLatest = System.nanoTime();
    long watermark = rerun ? pendingWatermark : watermarks.current();
    if (end == null || (!rerun && end.equals(start) && !noDataBatchDue(watermark, timestamp))) {
      return null;
    }
    long batchId = nextBatchId;
    if (checkpoint != null && !rerun) {
      checkpoint.logOffsets(batchId, end, watermark, timestamp);
      // Until it commits, this batch keeps its offsets, watermark and time, also if tried again.
      pendingEnd = end;
      pendingWatermark = watermark;
      pendingTimestamp = timestamp;
    }
    long afterWal = System.nanoTime();
    long batchTimestamp = rerun ? pendingTimestamp : timestamp;
    BatchEventTime time = new BatchEventTime(watermark, lastBatchWatermark, watermarks.operators(),
        batchTimestamp, watermarks.enabled());
    List<ColumnBatch> output = new ArrayList<>();
    long inputRows = execute(batchId, start, end.equals(start) ? null : end, output, time);
    long outputRows = output.stream().mapToLong(ColumnBatch::size).sum();
    try {
      sink.addBatch(batchId, outputSchema, output, mode);
    } catch (RuntimeException e) {
      throw QueryFailure.wrap(name, batchId, "sink " + sink.description(), e);
    }
    long afterSink = System.nanoTime();
    source.commit(end);
    watermarks.update(time);
    if (checkpoint != null) {
      checkpoint.commit(batchId, watermarks.current());
    }
    lastBatchWatermark = watermark;
    ranBatch = true;
    List<StateOperatorProgress> stateProgress = stateProgress(time);
    try {
      if (operator != null) {
        operator.afterCommit(stateVersion(batchId));
      }
      if (aggregation != null) {
        aggregation.afterCommit(stateVersion(batchId));
      }
    } catch (RuntimeException e) {
      throw QueryFailure.wrap(name, batchId, "state", e);
    }
    committed = end;
    pendingEnd = null;
    nextBatchId++;
    long done = System.nanoTime();
    Map<String, Long> durations = durations(triggerStart, afterLatest, afterWal, afterSink, done);
    double processed = inputRows / (Math.max(done - triggerStart, 1) / 1e9);
    // As in Spark: input rate is over the time since the previous batch started; 0 for the first.
    double input = previousTriggerStart < 0 ? 0.0
        : inputRows / (Math.max(triggerStart - previousTriggerStart, 1) / 1e9);
    previousTriggerStart = triggerStart;
    List<SourceProgress> sourceProgress = sourceProgress(start, end, inputRows,
        Math.max(done - triggerStart, 1), input);
    return new StreamingQueryProgress(id(), runId, name, ProgressJson.timestamp(timestamp),
        batchId, durations.get("triggerExecution"), durations, eventTime(time), stateProgress,
        sourceProgress,
        new SinkProgress(sink.description(), outputRows, Map.of()), inputRows, input, processed);
  }

  /**
   * Spark's {@code durationMs}, in its phases' order. Each phase is the difference of the rounded
   * times since the trigger started at its ends, so that the phases add up to {@code
   * triggerExecution} and a batch of a fraction of a millisecond does not read as 0 throughout.
   */
  private static Map<String, Long> durations(long start, long afterLatest, long afterWal,
      long afterSink, long done) {
    Map<String, Long> durations = new LinkedHashMap<>();
    durations.put("latestOffset", millis(afterLatest - start));
    durations.put("queryPlanning", 0L);
    durations.put("getBatch", 0L);
    durations.put("walCommit", millis(afterWal - start) - millis(afterLatest - start));
    durations.put("addBatch", millis(afterSink - start) - millis(afterWal - start));
    durations.put("commitOffsets", millis(done - start) - millis(afterSink - start));
    durations.put("triggerExecution", millis(done - start));
    return durations;
  }

  /** Spark's {@code sources} of progress: one entry per source, each input of a union too. */
  private List<SourceProgress> sourceProgress(@Nullable Offset start, Offset end, long inputRows,
      long nanos, double inputRate) {
    if (!(source instanceof UnionSource union)) {
      return List.of(new SourceProgress(source.description(),
          start == null ? null : start.json(), end.json(), end.json(), inputRows, inputRate,
          inputRows / (nanos / 1e9), source.metrics()));
    }
    List<SourceProgress> out = new ArrayList<>();
    for (int i = 0; i < union.inputs().size(); i++) {
      Source input = union.inputs().get(i);
      Offset from = start == null ? null : ((UnionSource.UnionOffset) start).offsets().get(i);
      Offset to = ((UnionSource.UnionOffset) end).offsets().get(i);
      long rows = inputRowsByInput[i];
      double share = inputRows == 0 ? 0 : (double) rows / inputRows;
      out.add(new SourceProgress(input.description(), from == null ? null : from.json(),
          to == null ? null : to.json(), to == null ? null : to.json(), rows, inputRate * share,
          rows / (nanos / 1e9), input.metrics()));
    }
    return out;
  }

  /**
   * Whether a batch without new data must run: the watermark moved past the one the last batch
   * ran with, and some operator evicts by it.
   */
  private boolean noDataBatchDue(long watermark, long now) {
    if (!ranBatch) {
      return false;
    }
    boolean moved = watermarks.enabled() && watermark > lastBatchWatermark;
    boolean aggregationEvicts = moved && aggregation != null
        && compiled.plan.aggregation().hasEventTimeKey() && mode != OutputMode.COMPLETE;
    return aggregationEvicts || (operator != null
        && operator.needsBatchWithoutData(moved, now));
  }

  /** Spark's {@code eventTime} of progress: the batch's watermark and what the input held. */
  private Map<String, String> eventTime(BatchEventTime time) {
    if (!watermarks.enabled()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < time.operators(); i++) {
      EventTimeStats seen = time.observed(i);
      if (seen.count() > 0) {
        out.put("avg", ProgressJson.timestamp(seen.average()));
        out.put("max", ProgressJson.timestamp(seen.max()));
        out.put("min", ProgressJson.timestamp(seen.min()));
        break;
      }
    }
    out.put("watermark", ProgressJson.timestamp(time.watermark));
    return out;
  }

  private long execute(long batchId, @Nullable Offset start, @Nullable Offset end,
      List<ColumnBatch> output, BatchEventTime time) {
    long[] inputRows = {0};
    operatorNanos = 0;
    aggregationNanos = 0;
    // Small first chunks: a full chunk per column would be most of a small batch's cost.
    ColumnBatch[] current = {new ColumnBatch(outputSchema, FIRST_CHUNK_ROWS)};
    if (aggregation != null) {
      aggregation.beginBatch();
    }
    if (operator != null) {
      operator.beginBatch();
    }
    ColumnBatch operatorInput = operator == null ? null
        : new ColumnBatch(compiled.plan.operator().inputSchema(), FIRST_CHUNK_ROWS);
    ColumnBatch operated = operator == null ? null
        : new ColumnBatch(compiled.plan.operator().outputSchema(), FIRST_CHUNK_ROWS);
    int stage = compiled.unionInputs.size();
    try {
      inputRowsByInput = new long[Math.max(1, compiled.unionInputs.size())];
      read(start, end, time, sourceChunk -> {
        inputRows[0] += sourceChunk.size();
        try {
          ColumnBatch chunk = sourceChunk;
          if (operator != null) {
            operatorInput.clear();
            compiled.beforeOperator.process(sourceChunk, operatorInput, time);
            operated.clear();
            long started = System.nanoTime();
            operator.accept(operatorInput, operated, time);
            operatorNanos += System.nanoTime() - started;
            chunk = operated;
          }
          processRest(chunk, current, output, time);
        } catch (Exception | AssertionError e) {
          // AssertionError too: a user function's failed assert still names batch and stage.
          throw new QueryFailure.Unchecked("stage " + (stage + 1) + " ("
              + compiled.sources.get(stage).className() + ")", e);
        }
      });
    } catch (QueryFailure.Unchecked e) {
      throw QueryFailure.wrap(name, batchId, e.where, e.getCause());
    } catch (Exception e) {
      throw QueryFailure.wrap(name, batchId, "source " + source.description(), e);
    }
    if (operator != null) {
      finishOperator(batchId, time, current, output);
    }
    if (aggregation != null) {
      emitAggregates(batchId, current[0], time);
    }
    if (current[0].size() > 0) {
      output.add(current[0]);
    }
    return compiled.unionInputs.isEmpty() ? inputRows[0]
        : java.util.Arrays.stream(inputRowsByInput).sum();
  }

  /** The stage after the row operator (or the first one): output rows, or the partial table. */
  private void processRest(ColumnBatch chunk, ColumnBatch[] current, List<ColumnBatch> output,
      BatchEventTime batchTime) throws Exception {
    BatchEventTime time = afterOperator(batchTime);
    if (compiled.pipeline != null) {
      compiled.pipeline.process(chunk, current[0], time);
      if (current[0].size() >= ColumnBatch.DEFAULT_CHUNK_ROWS) {
        output.add(current[0]);
        current[0] = new ColumnBatch(outputSchema, ColumnBatch.DEFAULT_CHUNK_ROWS);
      }
    } else {
      compiled.aggregation.process(chunk, aggregation.groups, aggregation.distinct, time);
    }
  }

  /**
   * Lets the row operator emit what it held back (a state function's output) and write its
   * state, then runs the rest of the query over those rows.
   */
  private void finishOperator(long batchId, BatchEventTime time, ColumnBatch[] current,
      List<ColumnBatch> output) {
    List<ColumnBatch> emitted = new ArrayList<>();
    long started = System.nanoTime();
    try {
      operator.finish(stateVersion(batchId), time, emitted);
      operatorNanos += System.nanoTime() - started;
    } catch (QueryFailure.Unchecked e) {
      throw QueryFailure.wrap(name, batchId, e.where, e.getCause());
    } catch (RuntimeException e) {
      throw QueryFailure.wrap(name, batchId, operator.describe() + " state", e);
    }
    int stage = compiled.unionInputs.size() + 1;
    try {
      for (ColumnBatch chunk : emitted) {
        processRest(chunk, current, output, time);
      }
    } catch (Exception | AssertionError e) {
      throw QueryFailure.wrap(name, batchId, "stage " + (stage + 1) + " ("
          + compiled.sources.get(stage).className() + ")", e);
    }
  }

  /**
   * Merges the batch into state and shapes the rows the output mode emits; a failure names the
   * state or the second stage, not the source, so that a full state store is not blamed on input.
   */
  /**
   * The event time of what comes after the row operator: after a stream-stream join, its output
   * watermark, which lags the input's as Spark's does.
   */
  private BatchEventTime afterOperator(BatchEventTime time) {
    return compiled.plan.operator() instanceof StreamJoinPlan join
        && join.outputWatermarkOffset() != 0 ? time.shifted(join.outputWatermarkOffset()) : time;
  }

  private void emitAggregates(long batchId, ColumnBatch out, BatchEventTime batchTime) {
    BatchEventTime time = afterOperator(batchTime);
    List<ColumnBatch> raw;
    long started = System.nanoTime();
    try {
      raw = aggregation.mergeAndEmit(mode, stateVersion(batchId), time);
      aggregationNanos = System.nanoTime() - started;
    } catch (RuntimeException e) {
      throw QueryFailure.wrap(name, batchId, "aggregation state", e);
    }
    try {
      for (ColumnBatch chunk : raw) {
        compiled.afterAggregation.process(chunk, out, time);
      }
    } catch (Exception e) {
      throw QueryFailure.wrap(name, batchId,
          "stage 2 (" + compiled.sources.get(1).className() + ")", e);
    }
  }

  /** The state version a batch produces: version 0 is the empty state before batch 0. */
  private static long stateVersion(long batchId) {
    return batchId + 1;
  }

  /**
   * Reads {@code (start, end]}; a union's chunks first go through their input's stage, which
   * turns them into the union's rows.
   */
  private void read(@Nullable Offset start, @Nullable Offset end, BatchEventTime time,
      ChunkConsumer out) {
    if (end == null) {
      return;
    }
    if (!(source instanceof UnionSource union)) {
      if (ReadAhead.worthIt(source, start, end)) {
        readAhead.read(source, start, end, out);
      } else {
        source.read(start, end, out);
      }
      return;
    }
    ColumnBatch rows = new ColumnBatch(compiled.plan.scan().schema(),
        ColumnBatch.DEFAULT_CHUNK_ROWS);
    union.read(start, end, (input, chunk) -> {
      rows.clear();
      try {
        compiled.unionInputs.get(input).process(chunk, rows, time);
      } catch (Exception | AssertionError e) {
        throw new QueryFailure.Unchecked("stage " + (input + 1) + " ("
            + compiled.sources.get(input).className() + ")", e);
      }
      // Progress counts the rows each input read, before its stage filters any.
      inputRowsByInput[input] += chunk.size();
      out.accept(rows);
    });
  }

  /** Runs the query once over everything a bounded source holds; the rows as complete mode. */
  public List<ColumnBatch> runBounded() {
    List<ColumnBatch> output = new ArrayList<>();
    // A bounded query has no watermark that could drop anything, as Spark ignores it in batch.
    execute(0, null, source.latestOffset(null), output,
        new BatchEventTime(Long.MIN_VALUE, Long.MIN_VALUE, watermarks.operators(),
            context.clock().millis(), false));
    return output;
  }

  private List<StateOperatorProgress> stateProgress(BatchEventTime time) {
    List<StateOperatorProgress> operators = new ArrayList<>();
    int partitions = context.state().partitions();
    if (operator != null) {
      operators.add(operator.progress(partitions, millis(operatorNanos)));
    }
    if (aggregation != null) {
      operators.add(new StateOperatorProgress("stateStoreSave", aggregation.rowsTotal(),
          aggregation.rowsUpdated(), millis(aggregationNanos), aggregation.rowsRemoved(),
          millis(aggregation.takeCommitNanos()), aggregation.memoryUsedBytes(),
          aggregation.rowsDroppedByWatermark(), partitions, partitions));
    }
    return operators;
  }

  /** Nanoseconds as whole milliseconds, rounded half up. */
  static long millis(long nanos) {
    return (nanos + 500_000) / 1_000_000;
  }

  @Override
  public void close() {
    readAhead.close();
    try {
      source.stop();
      sink.stop();
    } finally {
      if (aggregation != null) {
        aggregation.close();
      }
      if (operator != null) {
        operator.close();
      }
      if (checkpoint != null) {
        checkpoint.close();
      }
    }
  }
}
