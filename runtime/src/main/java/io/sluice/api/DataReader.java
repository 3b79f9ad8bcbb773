package io.sluice.api;

import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.connector.SourceProviders;
import io.sluice.internal.plan.LogicalPlan;
import io.sluice.internal.connector.RecordListSource;
import io.sluice.internal.exec.StateTable;
import io.sluice.internal.plan.SourceProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Describes a source to read: from {@link Sluice#readStream()} an unbounded one, from {@link
 * Sluice#read()} a bounded one. Formats: {@code json} and {@code csv} (a directory of files),
 * {@code rate} (generated rows, streaming only), {@code kafka} (topics; see {@link
 * #load(Class)} for reading their values as events).
 *
 * <pre>{@code
 * Dataset<Click> clicks = engine.readStream().option("maxFilesPerTrigger", 1)
 *     .json("/data/clicks", Click.class);
 * }</pre>
 *
 * <p>A file source reads each file once, when it first sees it: put files into the folder by an
 * atomic move (write elsewhere, or under a name starting with {@code .} or {@code _} or ending
 * with {@code .tmp}, then rename), as with Spark, or a file still being written may be read in
 * part.
 *
 * <p>Options of the file formats: {@code maxFilesPerTrigger}, {@code badRecords} ({@code fail},
 * {@code drop} or {@code deadLetter}, with {@code badRecordsPath}), {@code timestampFormat}; for
 * CSV also {@code header} and {@code sep}. Of {@code rate}: {@code rowsPerSecond}, {@code
 * rampUpTime}.
 */
public final class DataReader {
  private final Sluice engine;
  private final boolean streaming;
  private final Map<String, String> options = new LinkedHashMap<>();
  private String format = "json";
  private @Nullable Schema schema;

  DataReader(Sluice engine, boolean streaming) {
    this.engine = engine;
    this.streaming = streaming;
  }

  public DataReader format(String format) {
    this.format = format;
    return this;
  }

  public DataReader option(String key, String value) {
    options.put(key, value);
    return this;
  }

  public DataReader option(String key, long value) {
    return option(key, Long.toString(value));
  }

  public DataReader option(String key, boolean value) {
    return option(key, Boolean.toString(value));
  }

  public DataReader options(Map<String, String> more) {
    options.putAll(more);
    return this;
  }

  /** The schema of untyped rows; with an event class, the class gives the schema instead. */
  public DataReader schema(Schema schema) {
    this.schema = schema;
    return this;
  }

  /** Reads a source that needs no path, such as {@code rate}. */
  public Dataset<Row> load() {
    return Dataset.untyped(engine, scan(SourceProviders.forFormat(format, options, schema, null,
        streaming)));
  }

  /** Reads the directory {@code path} in the current format, as untyped rows. */
  public Dataset<Row> load(String path) {
    return Dataset.untyped(engine, scan(SourceProviders.forFormat(format, options, schema, path,
        streaming)));
  }

  /**
   * Reads the source as records of {@code type}. For {@code kafka}, each record's value is
   * decoded into one, in the format of option {@code valueFormat}, and the record's metadata
   * follows the event's fields as columns; for {@code json} and {@code csv}, the files in option
   * {@code path} are read.
   *
   * <pre>{@code
   * Dataset<Click> clicks = engine.readStream().format("kafka")
   *     .option("kafka.bootstrap.servers", servers).option("subscribe", "clicks")
   *     .option("valueFormat", "json").load(Click.class);
   * clicks.filter(col("partition").equalTo(0)).select("user", "offset");
   * }</pre>
   *
   * <p>{@code valueFormat} is needed; it is one of
   *
   * <ul>
   *   <li>{@code json}: one object, read as the json source reads a line (fields by name, types
   *       checked, timestamps as epoch milliseconds or text in option {@code timestampFormat});
   *       what {@link RecordCodec#toJson} writes;
   *   <li>{@code csv}: one line of the fields in order, no header (option {@code sep}); what
   *       {@link RecordCodec#toCsv} writes;
   *   <li>{@code binary}: the {@link RecordCodec} binary layout, which {@link
   *       RecordCodec#writeBinary} writes; the value must be used up exactly;
   *   <li>{@code string} or {@code bytes}: the whole value, UTF-8 text or bytes as they are, as
   *       the event's only component, a {@code String} or {@code byte[]}.
   * </ul>
   *
   * <p>The metadata columns are Spark's but for {@code value}: {@code key} (BINARY), {@code
   * topic}, {@code partition}, {@code offset}, {@code timestamp} and {@code timestampType}, and,
   * for each header option {@code headerColumns} names (a comma list), {@code header_<name>}
   * (BINARY; the last header of that name, null if the record has none). An event field
   * keeps its name when a metadata column has it too (ignoring case); the metadata column is
   * then {@code kafka_<name>}, e.g. {@code kafka_timestamp}. Typed operations ({@code map},
   * {@code groupByKey}, {@code collectAsList}) see the event; the columns are there for {@code
   * filter}, {@code select} and the like.
   *
   * <p>A value that is not an event (a tombstone too, but in the {@code string} and {@code
   * bytes} formats, where it is a null component) is a bad record, handled as option {@code
   * badRecords} says: {@code fail} (the default) stops the query naming the topic-partition,
   * offset and the problem; {@code drop} skips it; {@code deadLetter} sends it as it came, with
   * headers {@code sluice.error}, {@code sluice.topic}, {@code sluice.partition}, {@code
   * sluice.offset} and {@code sluice.timestamp}, to the existing topic of option {@code
   * deadLetterTopic}. Both count it in the source's {@code numMalformedRows} metric. Dead
   * letters are acknowledged before their batch can commit, so none is lost. With a checkpoint
   * each batch's are one transaction that also records the offsets it read, and a batch run
   * again after a crash does not send them again: a {@code read_committed} consumer of the
   * dead-letter topic sees each bad record once. Without one (a bounded read), at least once.
   */
  public <T> Dataset<T> load(Class<T> type) {
    SourceProvider provider = SourceProviders.forEvents(format, options, RecordSchema.of(type),
        streaming);
    return new Dataset<>(engine, scan(provider), type);
  }

  /** Reads JSON-lines files in {@code path} as records of {@code type}. */
  public <T> Dataset<T> json(String path, Class<T> type) {
    return typed("json", path, type);
  }

  /** Reads CSV files in {@code path} as records of {@code type}. */
  public <T> Dataset<T> csv(String path, Class<T> type) {
    return typed("csv", path, type);
  }

  /**
   * An unbounded stream of records {@code generator} makes, at the pace of the rate source (options
   * {@code rowsPerSecond}, {@code rampUpTime}): for demos and load tests.
   *
   * <pre>{@code
   * Dataset<Click> clicks = engine.readStream().option("rowsPerSecond", 1000)
   *     .generate(Click.class, (i, ts) -> new Click("user" + i % 37, "home", ts));
   * }</pre>
   */
  public <T> Dataset<T> generate(Class<T> type, RecordGenerator<T> generator) {
    if (!streaming) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "generated records are an unbounded stream: use readStream(), not read()");
    }
    return new Dataset<>(engine, scan(SourceProviders.generated(options, RecordSchema.of(type),
        generator)), type);
  }

  /**
   * The state a stateful operator of the query with checkpoint {@code checkpointLocation} held
   * after a batch, as a table, like Spark's state data source ({@code
   * spark.read.format("statestore")}): a row per entry, its first column {@code partition_id}.
   *
   * <pre>{@code
   * Dataset<Row> totals = engine.read().option("operator", "aggregate").option("batchId", 4)
   *     .state("/checkpoints/sales");
   * }</pre>
   *
   * <p>Option {@code operator} picks the operator, needed only when the query has several:
   *
   * <ul>
   *   <li>{@code aggregate}, a streaming aggregation: a row per group, with the grouping columns
   *       as the query names them (a window as a WINDOW value, Spark's {@code struct<start,
   *       end>}) and each aggregate's value so far, under its output column's name (else as
   *       Spark names it, e.g. {@code count(1)}); a session-window aggregation has a row per
   *       session.
   *   <li>{@code deduplicate}, a {@code dropDuplicates}: a row per key it remembers, with the key
   *       columns and, within a watermark, {@code expires_at}: the event time the watermark must
   *       pass for the key to be forgotten.
   *   <li>{@code groups}, a state function ({@code mapGroupsWithState} / {@code
   *       flatMapGroupsWithState}): {@code key} (or {@code key_<field>}), {@code value_<field>}
   *       and {@code timeout}.
   *   <li>{@code join}, a stream-stream join: the rows one side keeps, chosen by option {@code
   *       joinSide} ({@code left} or {@code right}, as in Spark; needed), a row per stored row
   *       with {@code key_<part>} per part of the join key as that side names it ({@code
   *       field<i>} for an expression), {@code value_<column>} per column of the side and {@code
   *       matched}: whether it has met a row of the other side yet.
   *   <li>{@code transform}, a {@code transformWithState}: one state variable, named by option
   *       {@code stateVarName} (as in Spark; needed when the processor declares several), with
   *       {@code key} (or {@code key_<field>}), a row per value, list element or map entry
   *       ({@code user_key}, {@code value} or {@code value_<field>}) and {@code expires_at} under
   *       a TTL; or, with option {@code readRegisteredTimers} {@code true}, a row per timer:
   *       {@code key} and {@code expiration_timestamp_ms}.
   * </ul>
   *
   * <p>Option {@code batchId} picks the batch (default: the last committed); one the checkpoint
   * never committed or no longer keeps is an error. It reads files only, so the query may be
   * running. A checkpoint written before Sluice recorded the layout of an operator's state
   * beside it cannot be read until its query runs once more.
   */
  public Dataset<Row> state(String checkpointLocation) {
    if (streaming) {
      throw new SluiceException(ErrorKind.UNSUPPORTED_OPERATION,
          "a checkpoint's state is a table, not a stream: use read(), not readStream()");
    }
    String batch = options.get("batchId");
    Long batchId;
    try {
      batchId = batch == null ? null : Long.valueOf(batch);
    } catch (NumberFormatException e) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "option batchId must be a batch"
          + " number, got '" + batch + "'");
    }
    StateTable table = StateTable.open(java.nio.file.Path.of(checkpointLocation), batchId,
        options.get("operator"), options);
    SourceProvider provider = SourceProvider.of(table.schema(), false, table.description(),
        clock -> new RecordListSource(table.description(), table.schema(), null, table::rows));
    return Dataset.untyped(engine, scan(provider));
  }

  private <T> Dataset<T> typed(String fileFormat, String path, Class<T> type) {
    RecordSchema record = RecordSchema.of(type);
    SourceProvider provider = SourceProviders.forFormat(fileFormat, options, record.schema(), path,
        streaming, record.epochMillisEventTimes());
    return new Dataset<>(engine, scan(provider), type);
  }

  private LogicalPlan scan(SourceProvider provider) {
    return new LogicalPlan.Scan(provider, provider.toString());
  }
}
