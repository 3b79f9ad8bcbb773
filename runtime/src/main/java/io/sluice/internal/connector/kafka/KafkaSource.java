package io.sluice.internal.connector.kafka;

import io.sluice.api.BadRecordPolicy;
import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.analysis.RecordSchema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.checkpoint.CheckpointFile;
import io.sluice.internal.connector.BadRecordException;
import io.sluice.internal.connector.BadRecordOptions;
import io.sluice.internal.connector.ChunkConsumer;
import io.sluice.internal.connector.Offset;
import io.sluice.internal.connector.Options;
import io.sluice.internal.connector.Source;
import io.sluice.internal.connector.ValueDecoder;
import io.sluice.internal.connector.ValueFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Kafka topics as Spark's Kafka source does: rows of {@code key, value, topic, partition,
 * offset, timestamp, timestampType}, or, read as events, the event each value holds followed by
 * those columns but the value (see {@link KafkaRows}); a batch reads {@code [start, end)} of
 * each partition, where an offset is the next record to read; the first batch starts where
 * {@code startingOffsets} says, fixed in the checkpoint the first time, and later batches where
 * the previous ended.
 * Nothing is committed to Kafka: the checkpoint's offset log is the only record of progress.
 *
 * <p>Records the broker no longer has (retention, a deleted topic or partition, offsets that
 * went back) are data loss: an error naming the topic-partition and offsets, or, with {@code
 * failOnDataLoss=false}, skipped and counted in the source's progress metrics. Gaps that
 * transaction markers, aborted transactions and compaction leave are not data loss. A value that
 * holds no event is a bad record, which the source's bad-record policy handles as it reads (see
 * {@link MalformedValues}).
 */
public final class KafkaSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);

  /** Spark's columns, every one nullable. */
  public static final Schema SCHEMA = KafkaRows.untyped(List.of()).schema();

  private static final String DEAD_LETTER_TOPIC = "deadLetterTopic";

  private static final String DATA_LOSS = "Some data may have been lost because they are not"
      + " available in Kafka any more; either the data was aged out by Kafka or the topic may"
      + " have been deleted before all the data in the topic was processed. If you don't want"
      + " your streaming query to fail on such cases, set the source option failOnDataLoss to"
      + " false. Reason: ";

  private final TopicSelection selection;
  private final KafkaRows rows;
  /** How values that hold no event are handled; null when rows hold no event. */
  private final @Nullable MalformedValues malformed;
  private final Map<String, Object> consumerParams;
  private final OffsetSpec starting;
  private final @Nullable OffsetSpec ending;
  private final boolean failOnDataLoss;
  private final long maxOffsetsPerTrigger;
  private final long pollTimeoutMs;
  private final int fetchRetries;
  private final long retryIntervalMs;

  private @Nullable Consumer<byte[], byte[]> consumer;
  private @Nullable Admin admin;
  private @Nullable Path initialFile;
  private @Nullable PartitionOffsets initial;
  /** The latest offsets frozen for an availableNow run or a bounded read; null otherwise. */
  private @Nullable Map<TopicPartition, Long> frozenLatest;
  private boolean ignoreLimit;
  private Map<TopicPartition, Long> lastLatest = Map.of();
  private Map<TopicPartition, Long> lastEnd = Map.of();
  private long dataLossEvents;
  private long skippedOffsets;

  /**
   * A source of the topics {@code options} select, in Spark's columns; {@code streaming} false
   * for a bounded read, which starts at the earliest offsets unless told otherwise and ends at
   * {@code endingOffsets}.
   */
  public KafkaSource(Options options, boolean streaming) {
    this(options, streaming, null);
  }

  /**
   * The same, where each record's value is decoded, in the format of option {@code valueFormat},
   * into an event of {@code events} (when not null), followed by the record's metadata columns.
   * Values that hold no event follow the option {@code badRecords}; {@code deadLetter} sends
   * them to the topic of option {@code deadLetterTopic}.
   */
  public KafkaSource(Options options, boolean streaming, @Nullable RecordSchema events) {
    checkRange(options, streaming);
    this.selection = TopicSelection.of(options);
    this.consumerParams = KafkaParameters.forConsumer(options);
    List<String> headers = headerColumns(options);
    if (events == null) {
      refuseDecodingOptions(options);
      this.rows = KafkaRows.untyped(headers);
      this.malformed = null;
    } else {
      String name = events.type().getSimpleName();
      ValueDecoder values = ValueDecoder.of(name, events.schema(), options,
          events.epochMillisEventTimes());
      this.rows = KafkaRows.events(name, events.schema(), values, headers);
      this.malformed = malformedValues(options, values.format());
    }
    this.starting = OffsetSpec.starting(options, !streaming);
    this.ending = streaming ? null : OffsetSpec.ending(options);
    this.failOnDataLoss = options.getBoolean("failOnDataLoss", true);
    this.maxOffsetsPerTrigger = streaming ? options.getLong("maxOffsetsPerTrigger", -1) : -1;
    if (options.get("maxOffsetsPerTrigger") != null && maxOffsetsPerTrigger == 0) {
      throw options.invalid("maxOffsetsPerTrigger", "0", "a positive number");
    }
    this.pollTimeoutMs = options.getLong("kafkaConsumer.pollTimeoutMs", 120_000);
    this.fetchRetries = options.getInt("fetchOffset.numRetries", 3);
    this.retryIntervalMs = options.getLong("fetchOffset.retryIntervalMs", 1000);
    if (options.getBoolean("includeHeaders", false)) {
      throw options.invalid("includeHeaders", "true", "false: Sluice has no array column type"
          + " for headers yet; option headerColumns reads the headers it names, each as a"
          + " BINARY column header_<name>");
    }
    // Spark's options that change which offsets a batch reads or how it is split; refused, not
    // ignored, so that a query written for Spark does not silently read otherwise.
    for (String unsupported : List.of("minOffsetsPerTrigger", "maxTriggerDelay",
        "minPartitions", "maxRecordsPerPartition")) {
      if (options.get(unsupported) != null) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "the kafka source does not support"
            + " option '" + unsupported + "' yet; Sluice reads each partition's range in one"
            + " pass, and maxOffsetsPerTrigger bounds a batch");
      }
    }
  }

  /**
   * The header names of option {@code headerColumns}, a comma list. Names that differ only in
   * case are refused: their columns could not be told apart.
   */
  private static List<String> headerColumns(Options options) {
    List<String> names = new ArrayList<>();
    for (String name : options.get("headerColumns", "").split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (names.stream().anyMatch(trimmed::equalsIgnoreCase)) {
        throw options.invalid("headerColumns", options.get("headerColumns", ""),
            "header names that differ in more than case");
      }
      names.add(trimmed);
    }
    return names;
  }

  /** Untyped rows decode nothing, so options about decoding would be silently ignored. */
  private static void refuseDecodingOptions(Options options) {
    for (String key : List.of(ValueDecoder.FORMAT_OPTION, "badRecords", "mode",
        DEAD_LETTER_TOPIC)) {
      if (options.get(key) != null) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "kafka source option '" + key
            + "' is about decoding values into events: read them with load(YourEvent.class) to"
            + " use it, or leave it out");
      }
    }
  }

  private MalformedValues malformedValues(Options options, ValueFormat format) {
    BadRecordPolicy policy = BadRecordOptions.policy(options);
    String topic = options.get(DEAD_LETTER_TOPIC);
    if (policy != BadRecordPolicy.DEAD_LETTER) {
      if (topic != null) {
        throw new SluiceException(ErrorKind.INVALID_OPTION, "kafka source option '"
            + DEAD_LETTER_TOPIC + "' is used only when option 'badRecords' is deadLetter; set"
            + " that too, or leave it out");
      }
      return new MalformedValues(policy, format, null);
    }
    if (topic == null || topic.isBlank()) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "kafka source option 'badRecords' is"
          + " deadLetter, which needs option '" + DEAD_LETTER_TOPIC + "' (an existing topic for"
          + " the records whose value is not an event)");
    }
    return new MalformedValues(policy, format, new DeadLetterTopic(topic.trim(),
        KafkaParameters.forProducer(options), description()));
  }

  private static void checkRange(Options options, boolean streaming) {
    if (streaming) {
      if (options.get("endingOffsets") != null) {
        throw new SluiceException(ErrorKind.INVALID_OPTION,
            "ending offset not valid in streaming queries");
      }
      if (options.get("endingOffsetsByTimestamp") != null) {
        throw new SluiceException(ErrorKind.INVALID_OPTION,
            "ending timestamp not valid in streaming queries");
      }
      return;
    }
    if ("latest".equalsIgnoreCase(options.get("startingOffsets", "").trim())) {
      throw new SluiceException(ErrorKind.INVALID_OPTION,
          "starting offset can't be latest for batch queries on Kafka");
    }
    if ("earliest".equalsIgnoreCase(options.get("endingOffsets", "").trim())) {
      throw new SluiceException(ErrorKind.INVALID_OPTION,
          "ending offset can't be earliest for batch queries on Kafka");
    }
  }

  @Override
  public String description() {
    return "KafkaV2[" + selection.description() + "]";
  }

  /** The column of the record key, by which Kafka's partitioner places records. */
  public String keyColumn() {
    return rows.keyColumn();
  }

  @Override
  public Schema schema() {
    return rows.schema();
  }

  @Override
  public void useCheckpoint(Path directory) {
    initialFile = directory.resolve("initial-offsets");
    if (malformed != null) {
      malformed.useCheckpoint(directory);
    }
  }

  /**
   * The offsets the next batch reads up to: the latest now (or frozen), cut down by {@code
   * maxOffsetsPerTrigger}; null while no selected partition exists.
   */
  @Override
  public @Nullable Offset latestOffset(@Nullable Offset start) {
    // The first start is fixed before the latest offsets are read, as Spark does: read after,
    // records written in between would put it past the first batch's end.
    Map<TopicPartition, Long> from = start(start);
    Map<TopicPartition, Long> latest = frozenLatest != null ? frozenLatest : fetchLatest();
    lastLatest = latest;
    if (latest.isEmpty()) {
      return start;
    }
    if (maxOffsetsPerTrigger > 0 && !ignoreLimit) {
      Set<TopicPartition> added = new TreeSet<>(PartitionOffsets.ORDER);
      added.addAll(latest.keySet());
      added.removeAll(from.keySet());
      Map<TopicPartition, Long> newStarts = added.isEmpty() ? Map.of()
          : fetch("the earliest offsets of " + added,
              () -> consumer().beginningOffsets(added));
      return new PartitionOffsets(OffsetRateLimit.limit(maxOffsetsPerTrigger, from, latest,
          newStarts));
    }
    return new PartitionOffsets(latest);
  }

  @Override
  public void prepareForAvailableNow() {
    if (ending == null) {
      initial(); // before the latest, as in latestOffset
    }
    frozenLatest = ending != null ? resolveEnding() : fetchLatest();
  }

  @Override
  public void readAllAvailable() {
    ignoreLimit = true;
  }

  @Override
  public Offset offsetFromJson(String json) {
    return PartitionOffsets.parse(json, "the offset log entry of " + description());
  }

  /**
   * The offsets between, at most: compacted records and transaction markers take offsets but give
   * no rows. Unknown (-1) for the first batch, whose start is resolved when it reads.
   */
  @Override
  public long rowsBetween(@Nullable Offset start, Offset end) {
    if (start == null) {
      return -1;
    }
    Map<TopicPartition, Long> from = ((PartitionOffsets) start).offsets();
    long rows = 0;
    for (Map.Entry<TopicPartition, Long> e : ((PartitionOffsets) end).offsets().entrySet()) {
      Long begin = from.get(e.getKey());
      rows += begin == null ? 0 : Math.max(0, e.getValue() - begin);
    }
    return rows;
  }

  /** Reads each partition's {@code [start, end)}, partition after partition, in order. */
  @Override
  public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
    Map<TopicPartition, Long> from = start(start);
    Map<TopicPartition, Long> until = ((PartitionOffsets) end).offsets();
    lastEnd = until;
    dataLossEvents = 0;
    skippedOffsets = 0;
    Set<TopicPartition> deleted = new TreeSet<>(PartitionOffsets.ORDER);
    deleted.addAll(from.keySet());
    deleted.removeAll(until.keySet());
    if (!deleted.isEmpty()) {
      dataLoss("Partitions " + deleted + " have been deleted.");
    }
    ColumnBatch chunk = new ColumnBatch(rows.schema(), ColumnBatch.DEFAULT_CHUNK_ROWS);
    Map<TopicPartition, DeadLetterTopic.Range> ranges = new LinkedHashMap<>();
    if (malformed != null) {
      malformed.startRead();
    }
    try {
      for (Map.Entry<TopicPartition, Long> e : until.entrySet()) {
        TopicPartition tp = e.getKey();
        Long begin = from.containsKey(tp) ? from.get(tp) : addedPartitionStart(tp);
        if (begin == null) {
          continue;
        }
        if (e.getValue() < begin) {
          dataLoss("Partition " + tp + " offset was changed from " + begin + " to "
              + e.getValue() + ".");
          continue;
        }
        DeadLetterTopic.Range range = new DeadLetterTopic.Range(begin, e.getValue());
        ranges.put(tp, range);
        new PartitionReader(tp, range, chunk, out).read();
      }
      if (chunk.size() > 0) {
        out.accept(chunk);
      }
      if (malformed != null) {
        malformed.finishRead(ranges);
      }
    } catch (RuntimeException e) {
      if (malformed != null) {
        malformed.abortRead();
      }
      throw e;
    }
  }

  /** A partition found since the last batch starts at its earliest offset, which should be 0. */
  private @Nullable Long addedPartitionStart(TopicPartition tp) {
    Long earliest = fetch("the earliest offset of " + tp,
        () -> consumer().beginningOffsets(List.of(tp))).get(tp);
    if (earliest == null) {
      dataLoss("Cannot find initial offsets for partitions [" + tp + "]. They may have been"
          + " deleted.");
    } else if (earliest != 0) {
      dataLoss("Added partition " + tp + " starts from " + earliest + " instead of 0.");
    }
    return earliest;
  }

  /** How far behind the latest offsets the last batch ended, per partition, as Spark reports. */
  @Override
  public Map<String, String> metrics() {
    Map<String, String> metrics = new LinkedHashMap<>();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum = 0;
    int n = 0;
    for (Map.Entry<TopicPartition, Long> e : lastLatest.entrySet()) {
      Long consumed = lastEnd.get(e.getKey());
      if (consumed != null) {
        long behind = e.getValue() - consumed;
        min = Math.min(min, behind);
        max = Math.max(max, behind);
        sum += behind;
        n++;
      }
    }
    if (n > 0) {
      metrics.put("avgOffsetsBehindLatest", Double.toString((double) sum / n));
      metrics.put("maxOffsetsBehindLatest", Long.toString(max));
      metrics.put("minOffsetsBehindLatest", Long.toString(min));
    }
    if (!failOnDataLoss) {
      metrics.put("dataLoss", Long.toString(dataLossEvents));
      metrics.put("skippedOffsets", Long.toString(skippedOffsets));
    }
    if (malformed != null) {
      metrics.putAll(malformed.metrics());
    }
    return metrics;
  }

  @Override
  public void stop() {
    if (malformed != null) {
      malformed.close();
    }
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
      consumer = null;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }

  /** Where a batch starting at {@code start} starts: there, or at the initial offsets. */
  private Map<TopicPartition, Long> start(@Nullable Offset start) {
    return start == null ? initial().offsets() : ((PartitionOffsets) start).offsets();
  }

  /**
   * The first batch's start: read from the checkpoint, or resolved from the starting options
   * now and written there, so that a restart before the first commit starts at the same place.
   */
  private PartitionOffsets initial() {
    if (initial != null) {
      return initial;
    }
    if (initialFile != null && Files.exists(initialFile)) {
      initial = PartitionOffsets.parse(CheckpointFile.read(initialFile).trim(),
          "checkpoint file " + initialFile);
      return initial;
    }
    Set<TopicPartition> partitions = partitions();
    initial = new PartitionOffsets(fetch("the starting offsets of " + partitions,
        () -> starting.resolve(consumer(), partitions)));
    if (initialFile != null) {
      CheckpointFile.write(initialFile, initial.json());
    }
    return initial;
  }

  private Map<TopicPartition, Long> fetchLatest() {
    Set<TopicPartition> partitions = partitions();
    return partitions.isEmpty() ? Map.of()
        : new PartitionOffsets(fetch("the latest offsets of " + partitions,
            () -> consumer().endOffsets(partitions))).offsets();
  }

  private Map<TopicPartition, Long> resolveEnding() {
    Set<TopicPartition> partitions = partitions();
    return new PartitionOffsets(fetch("the ending offsets of " + partitions,
        () -> ending.resolve(consumer(), partitions))).offsets();
  }

  private Set<TopicPartition> partitions() {
    return fetch("the partitions of " + selection.description(),
        () -> selection.partitions(admin()));
  }

  /**
   * Asks the broker, again after {@code fetchOffset.retryIntervalMs} if it fails, up to {@code
   * fetchOffset.numRetries} times, as Spark does; a broker that restarts meanwhile is waited
   * for. Refused credentials are not retried.
   */
  private <T> T fetch(String what, Supplier<T> call) {
    KafkaException last = null;
    for (int attempt = 0; attempt < Math.max(1, fetchRetries); attempt++) {
      try {
        return call.get();
      } catch (AuthenticationException | AuthorizationException e) {
        throw new SluiceException(ErrorKind.CONNECTOR, description() + " could not read " + what
            + ": " + e.getMessage(), e);
      } catch (SluiceException e) {
        throw e;
      } catch (KafkaException e) {
        last = e;
        LOG.warn("{} could not read {} (attempt {} of {}): {}", description(), what,
            attempt + 1, fetchRetries, e.toString());
        sleep(retryIntervalMs);
      }
    }
    throw new SluiceException(ErrorKind.CONNECTOR, description() + " could not read " + what
        + " after " + fetchRetries + " attempts: " + last.getMessage(), last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceException(ErrorKind.CONNECTOR, "interrupted while waiting for Kafka", e);
    }
  }

  /** Fails on data loss, or counts it when the user chose to go on. */
  private void dataLoss(String reason) {
    if (failOnDataLoss) {
      throw new SluiceException(ErrorKind.DATA_LOSS, DATA_LOSS + reason);
    }
    dataLossEvents++;
    LOG.warn("{}: {}Some data may have been missed; failOnDataLoss is false, so the query goes"
        + " on.", description(), reason.endsWith(".") ? reason + " " : reason + ". ");
  }

  /** Finds partitions: unlike a consumer's cached metadata, it sees new ones at once. */
  private Admin admin() {
    if (admin == null) {
      admin = KafkaCalls.admin(consumerParams);
    }
    return admin;
  }

  private Consumer<byte[], byte[]> consumer() {
    if (consumer == null) {
      consumer = new KafkaConsumer<>(new HashMap<>(consumerParams));
    }
    return consumer;
  }

  /** Reads one partition's {@code [begin, until)} into chunks. */
  private final class PartitionReader {
    private final TopicPartition tp;
    private final DeadLetterTopic.Range range;
    private final long until;
    private final ColumnBatch chunk;
    private final ChunkConsumer out;
    private long next;

    PartitionReader(TopicPartition tp, DeadLetterTopic.Range range, ColumnBatch chunk,
        ChunkConsumer out) {
      this.tp = tp;
      this.range = range;
      this.next = range.from();
      this.until = range.until();
      this.chunk = chunk;
      this.out = out;
    }

    void read() {
      if (next >= until) {
        return;
      }
      Consumer<byte[], byte[]> c = consumer();
      c.assign(List.of(tp));
      c.seek(tp, next);
      long lastProgress = System.nanoTime();
      while (next < until) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = c.poll(Duration.ofMillis(Math.min(pollTimeoutMs, 500)));
        } catch (OffsetOutOfRangeException e) {
          outOfRange(c);
          continue;
        }
        long before = next;
        for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
          if (r.offset() >= until) {
            next = until;
            break;
          }
          if (r.offset() > next) {
            missing(c, r.offset());
          }
          append(r);
          next = r.offset() + 1;
        }
        if (next < until && records.isEmpty()) {
          // An empty poll that moved the position passed offsets with no records: transaction
          // markers, aborted records, compacted ones.
          long position = c.position(tp);
          if (position > next) {
            next = Math.min(position, until);
          }
        }
        if (next > before) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > pollTimeoutMs * 1_000_000L) {
          throw new SluiceException(ErrorKind.CONNECTOR, description() + " cannot fetch record"
              + " for offset " + next + " of " + tp + " in " + pollTimeoutMs + " milliseconds"
              + " (option kafkaConsumer.pollTimeoutMs)");
        }
      }
    }

    /** The next offset is gone: data loss, or skip to what the broker still has. */
    private void outOfRange(Consumer<byte[], byte[]> c) {
      long earliest = fetch("the earliest offset of " + tp,
          () -> c.beginningOffsets(List.of(tp))).get(tp);
      dataLoss("Could not read records in offset [" + next + ", " + until + ") for topic"
          + " partition " + tp + ".");
      long latest = fetch("the latest offset of " + tp,
          () -> c.endOffsets(List.of(tp))).get(tp);
      // Where the broker's records no longer reach the offset (a topic made again, a log cut
      // short), the rest of the range is gone too; else go on from the earliest it has.
      long resume = latest <= next ? until : Math.min(Math.max(earliest, next), until);
      skippedOffsets += resume - next;
      next = resume;
      c.seek(tp, next);
    }

    /** Records before {@code offset} did not come: gone by retention, or never records at all. */
    private void missing(Consumer<byte[], byte[]> c, long offset) {
      long earliest = fetch("the earliest offset of " + tp,
          () -> c.beginningOffsets(List.of(tp))).get(tp);
      if (earliest > next) {
        dataLoss("Could not read records in offset [" + next + ", " + offset + ") for topic"
            + " partition " + tp + ".");
        skippedOffsets += offset - next;
      }
    }

    /** Decodes {@code r} into the chunk, or hands it to the bad-record policy. */
    private void append(ConsumerRecord<byte[], byte[]> r) {
      try {
        rows.append(r, chunk);
      } catch (BadRecordException e) {
        // Only rows that decode an event throw, and those have a policy.
        Objects.requireNonNull(malformed).handle(r, e.getMessage(), range);
        return;
      }
      if (chunk.size() == ColumnBatch.DEFAULT_CHUNK_ROWS) {
        out.accept(chunk);
        chunk.clear();
      }
    }
  }
}
