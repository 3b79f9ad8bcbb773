package io.sluice.api;

import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.checkpoint.CheckpointMetadata;
import io.sluice.internal.connector.ChunkListSource;
import io.sluice.internal.connector.ConsoleSink;
import io.sluice.internal.connector.FileSink;
import io.sluice.internal.connector.MemorySink;
import io.sluice.internal.connector.Options;
import io.sluice.internal.connector.Sink;
import io.sluice.internal.connector.kafka.KafkaSink;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.plan.QueryPlan;
import io.sluice.internal.plan.SourceProvider;
import io.sluice.internal.plan.StagePlanner;
import io.sluice.internal.plan.StreamingRules;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Describes how to run a streaming dataset: output mode, trigger, sink, then {@link #start()}.
 *
 * <pre>{@code
 * StreamingQuery q = views.writeStream()
 *     .outputMode(OutputMode.UPDATE)
 *     .trigger(Trigger.processingTime("1 second"))
 *     .format("console")
 *     .start();
 * }</pre>
 *
 * <p>Option {@code checkpointLocation}: a folder where the query logs each batch's offsets
 * before running it and marks it committed after its sink write; a query restarted on the same
 * folder resumes there, re-running a batch that did not commit with the same offsets. With the
 * {@code json} sink, nothing is lost or written twice. (Queries with aggregations cannot use one
 * yet.)
 *
 * <p>Sinks: {@code console} (options {@code numRows}, {@code truncate}), {@code memory} (a table
 * named by {@link #queryName}, read with {@link Sluice#table}), {@code json} (files in a directory,
 * append mode only, each batch made visible atomically; options {@code maxRecordsPerFile}, {@code
 * targetFileSize} such as {@code 128m}, and {@code compactInterval} for its log, default 10; see
 * {@link FileSinkCompaction} to merge small files), and {@link #foreachBatch}.
 */
public final class DataStreamWriter<T> {
  private final Dataset<T> dataset;
  private final Map<String, String> options = new LinkedHashMap<>();
  private OutputMode mode = OutputMode.APPEND;
  private Trigger trigger = Trigger.defaultTrigger();
  private String format = "console";
  private @Nullable String queryName;
  private @Nullable BatchFunction<T> batchFunction;

  DataStreamWriter(Dataset<T> dataset) {
    this.dataset = dataset;
  }

  public DataStreamWriter<T> outputMode(OutputMode mode) {
    this.mode = mode;
    return this;
  }

  /** {@code "append"}, {@code "update"} or {@code "complete"}. */
  public DataStreamWriter<T> outputMode(String mode) {
    try {
      return outputMode(OutputMode.valueOf(mode.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new SluiceException(ErrorKind.INVALID_OPTION,
          "unknown output mode '" + mode + "'; available: append, update, complete");
    }
  }

  public DataStreamWriter<T> trigger(Trigger trigger) {
    this.trigger = trigger;
    return this;
  }

  public DataStreamWriter<T> format(String format) {
    this.format = format;
    return this;
  }

  public DataStreamWriter<T> option(String key, String value) {
    options.put(key, value);
    return this;
  }

  public DataStreamWriter<T> option(String key, long value) {
    return option(key, Long.toString(value));
  }

  public DataStreamWriter<T> option(String key, boolean value) {
    return option(key, Boolean.toString(value));
  }

  /** Sets several options at once, as {@link #option(String, String)} each. */
  public DataStreamWriter<T> options(java.util.Map<String, String> more) {
    options.putAll(more);
    return this;
  }

  /** Names the query: in progress, thread names, generated class names and the memory table. */
  public DataStreamWriter<T> queryName(String name) {
    this.queryName = name;
    return this;
  }

  /** Hands each batch's output to {@code function} as a bounded dataset. */
  public DataStreamWriter<T> foreachBatch(BatchFunction<T> function) {
    this.batchFunction = function;
    this.format = "foreachBatch";
    return this;
  }

  /** Starts the query, writing files to {@code path} (file sinks). */
  public StreamingQuery start(String path) {
    options.put("path", path);
    return start();
  }

  /** Checks the query against Structured Streaming's rules and starts it. */
  public StreamingQuery start() {
    QueryPlan plan = StagePlanner.plan(dataset.plan());
    StreamingRules.check(plan, mode);
    String name = queryName != null ? queryName : defaultName();
    if (queryName != null) {
      dataset.engine().requireUniqueName(queryName);
    }
    Sink sink = sink(name);
    return dataset.engine().start(name, plan, sink, mode, trigger, dataset.origin(),
        checkpointLocation());
  }

  /**
   * The {@code checkpointLocation} option: the folder where the query logs its batches, so that
   * a restart resumes where it stopped; null runs without one.
   */
  private @Nullable Path checkpointLocation() {
    String location = options.get("checkpointLocation");
    return location == null ? null : Path.of(location);
  }

  /** The class's query name for an annotated query, else {@code query}. */
  private String defaultName() {
    Class<?> queryClass = dataset.origin().queryClass();
    return queryClass == null ? "query" : AnnotatedQueries.spec(queryClass).name();
  }

  /** The query's batches, writing to {@code sink}, for a test driver to run one by one. */
  io.sluice.internal.exec.MicroBatchExecution prepare(Sink sink) {
    QueryPlan plan = StagePlanner.plan(dataset.plan());
    StreamingRules.check(plan, mode);
    return dataset.engine().prepare(queryName != null ? queryName : defaultName(), plan, sink,
        mode, dataset.origin(), checkpointLocation());
  }

  Sink sink(String name) {
    String f = format.toLowerCase(Locale.ROOT);
    switch (f) {
      case "console":
        return new ConsoleSink(new Options("console sink", options), dataset.engine().console());
      case "memory":
        if (queryName == null) {
          throw new SluiceException(ErrorKind.INVALID_OPTION,
              "the memory sink needs a query name: call queryName(...) to name its table");
        }
        return dataset.engine().registerTable(name, new MemorySink(name));
      case "json":
      case "file":
        requireAppend(f);
        Options fileOptions = new Options("file sink", options);
        Path directory = Path.of(fileOptions.required("path"));
        if (checkpointLocation() == null) {
          // As in Spark: without a checkpoint a restarted query would start again at batch 0,
          // and the sink would skip the batches its log already holds.
          throw new SluiceException(ErrorKind.INVALID_OPTION, "the " + f + " file sink needs "
              + "option 'checkpointLocation', so that a restarted query resumes after the "
              + "batches it already wrote");
        }
        return new FileSink(directory, fileOptions);
      case "foreachbatch":
        return new ForeachBatchSink();
      case "kafka":
        return kafkaSink(name);
      default:
        throw new SluiceException(ErrorKind.INVALID_OPTION, "unknown sink format '" + format
            + "'; available: console, memory, json, kafka, foreachBatch");
    }
  }

  /**
   * A Kafka sink; its transactions, if exactly-once, are named after the query and its
   * checkpoint, so that a restart continues them and another query's are apart.
   */
  private Sink kafkaSink(String name) {
    Options kafka = new Options("kafka sink", options);
    Path checkpoint = checkpointLocation();
    boolean exactlyOnce = "exactly-once".equalsIgnoreCase(kafka.get("deliveryGuarantee", "")
        .trim());
    if (exactlyOnce && checkpoint == null) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "an exactly-once Kafka sink needs"
          + " option 'checkpointLocation': a restarted query must know which batches it wrote");
    }
    // The checkpoint's query id, not its path: a checkpoint deleted and made again is a new
    // query, whose batch 0 must not look written already.
    return new KafkaSink(kafka, dataset.schema(), () -> "sluice-" + name + "-"
        + CheckpointMetadata.fromJson(CheckpointFile.read(checkpoint.resolve("metadata")),
            checkpoint.resolve("metadata")).queryId());
  }

  private void requireAppend(String sink) {
    if (mode != OutputMode.APPEND) {
      throw new SluiceException(ErrorKind.OUTPUT_MODE, "the " + sink
          + " sink supports append output mode only, not " + mode.name().toLowerCase(Locale.ROOT)
          + ": files cannot be updated in place");
    }
  }

  /** Wraps each batch's rows as a bounded dataset for the user's function. */
  private final class ForeachBatchSink implements Sink {
    @Override
    public String description() {
      return "ForeachBatchSink";
    }

    @Override
    public void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks,
        OutputMode outputMode) {
      ChunkListSource rows = new ChunkListSource(schema, chunks);
      SourceProvider provider = SourceProvider.of(schema, false, "batch " + batchId,
          clock -> rows);
      Dataset<T> batch = new Dataset<>(dataset.engine(),
          new LogicalPlan.Scan(provider, "batch " + batchId), dataset.recordType());
      try {
        batchFunction.call(batch, batchId);
      } catch (SluiceException e) {
        throw e;
      } catch (Exception e) {
        throw new SluiceException(ErrorKind.EXECUTION,
            "foreachBatch function failed on batch " + batchId + ": " + e, e);
      }
    }
  }
}
