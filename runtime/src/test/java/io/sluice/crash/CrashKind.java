package io.sluice.crash;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.count;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.sum;
import static io.sluice.api.Functions.window;

import io.sluice.api.Dataset;
import io.sluice.api.GroupStateTimeout;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.TimeMode;
import java.util.Locale;

/**
 * The queries the crash harness kills and restarts: one without state, one aggregation in each
 * output mode that can show it, an event-time window aggregation, a deduplication, two
 * sessionizations whose sessions end by event-time timers (one by {@code
 * flatMapGroupsWithState}'s timeout, one by {@code transformWithState}'s timers), a
 * stream-stream left outer join of two inputs, and one from a Kafka topic to another.
 */
enum CrashKind {
  /** Filter and project, append mode, written by the JSON file sink. */
  STATELESS(OutputMode.APPEND),
  /** Count and sum per key, update mode: each batch emits the keys it changed. */
  UPDATE(OutputMode.UPDATE),
  /** Count and sum per key, complete mode: each batch emits the whole table. */
  COMPLETE(OutputMode.COMPLETE),
  /**
   * Count and sum per ten-second event-time window and key, append mode, written by the JSON file
   * sink: each window once, in the batch whose watermark passes its end.
   */
  WINDOWED(OutputMode.APPEND),
  /**
   * {@code dropDuplicates} on id and event time under a watermark, append mode, written by the
   * JSON file sink: each payment once, whether its copies meet its key in state or come late.
   */
  DEDUP(OutputMode.APPEND),
  /**
   * Sessions per key by {@code flatMapGroupsWithState} with an event-time timeout, append mode,
   * written by the JSON file sink: each session once, when the watermark passes its last payment
   * plus {@link #SESSION_GAP_MILLIS} (see {@link Sessionization}).
   */
  TIMERS(OutputMode.APPEND),
  /**
   * Sessions per key by {@code transformWithState} in event time, append mode, written by the JSON
   * file sink: a list and a value state per key and one event-time timer, moved to the latest
   * payment plus {@link #SESSION_GAP_MILLIS}; each session once, when the watermark reaches its
   * timer (see {@link SessionTimers}). Its input ends with a payment far enough ahead that every
   * other key's timer fires.
   */
  PROCESSOR_TIMERS(OutputMode.APPEND),
  /**
   * Impressions left outer joined with the clicks on their key within {@link #JOIN_WINDOW_MILLIS}
   * after them, both sides with a watermark, append mode, written by the JSON file sink: each
   * pair once, and each impression that no click matched once with nulls, when the watermark lets
   * it go. It reads two folders (see {@link JoinInputWriter}), whose last files end with an event
   * far enough ahead that every impression goes.
   */
  JOIN(OutputMode.APPEND),
  /**
   * Records of a Kafka topic of two partitions, an id as key and an amount as value, filtered as
   * {@link #STATELESS} filters payments, written with their ids to another topic by the Kafka sink
   * with {@code deliveryGuarantee=exactly-once}: each kept record once for a read_committed
   * consumer, whether a kill leaves a transaction open or falls between the sink's commit and the
   * checkpoint's (see {@link CrashTopics}).
   */
  KAFKA(OutputMode.APPEND);

  /** Rows the stateless query drops, so that the filter has something to do. */
  static final long DROPPED_DIVISOR = 7;
  /** Above {@link InputWriter#DISORDER_MILLIS}, so that no payment is late (copies may be). */
  static final long WATERMARK_DELAY_MILLIS = 5_000;
  static final long WINDOW_MILLIS = 10_000;
  /**
   * A session times out this long after its last payment: above the time between a key's
   * payments within a burst, far below the silence between its bursts (see {@link InputWriter}).
   */
  static final long SESSION_GAP_MILLIS = 10_000;
  /** A click matches an impression of its key from the impression's time to this much later. */
  static final long JOIN_WINDOW_MILLIS = 10_000;

  private final OutputMode mode;

  CrashKind(OutputMode mode) {
    this.mode = mode;
  }

  OutputMode mode() {
    return mode;
  }

  /**
   * Whether the query writes each batch through {@code foreachBatch} to {@link BatchFiles}, as the
   * JSON file sink takes append mode only; the others write to the JSON file sink.
   */
  boolean writesBatchFiles() {
    return this == UPDATE || this == COMPLETE;
  }

  /**
   * Whether the input repeats payments of earlier files: the deduplication needs them, and the
   * window aggregation must not have them, since whether a late copy counts depends on where the
   * batches fall.
   */
  boolean copiesEarlierFiles() {
    return this == DEDUP;
  }

  /**
   * Whether each key's payments come in bursts of a few files between long silences, so that
   * sessions split the same way however the files fall into batches; the other kinds pick a key
   * at random for each payment.
   */
  boolean keysInBursts() {
    return this == TIMERS || this == PROCESSOR_TIMERS;
  }

  /**
   * Whether the last file ends with a payment of {@link InputWriter#FLUSH_KEY} whose event time
   * brings the final watermark past every other key's timer, so that all of them fire by the end.
   */
  boolean flushesTimers() {
    return this == PROCESSOR_TIMERS;
  }

  /**
   * Whether the query's first batch connects to a broker before it reads anything, which takes a
   * second or more after the child is ready.
   */
  boolean connectsInFirstBatch() {
    return this == KAFKA;
  }

  /** The kind's query over the input folders it reads. */
  Dataset<Row> query(CrashStreams streams) {
    return switch (this) {
      case STATELESS -> streams.payments().filter("amount % " + DROPPED_DIVISOR + " <> 0")
          .select("key", "amount");
      case UPDATE, COMPLETE -> streams.payments().groupBy("key")
          .agg(count("*").as("count"), sum("amount").as("sum"));
      case WINDOWED -> watermarked(streams.payments())
          .groupBy(window(col("time"), seconds(WINDOW_MILLIS)).as("w"), col("key"))
          .agg(count("*").as("count"), sum("amount").as("sum"))
          // Flat columns, as the harness's JSON reader takes; the bounds are timestamps.
          .selectExpr("w.start AS window_start", "w.end AS window_end", "key", "count", "sum");
      case DEDUP -> watermarked(streams.payments())
          .dropDuplicates("id", "time").select("id", "time", "key", "amount");
      case TIMERS -> watermarked(streams.payments())
          .groupByKey(Payment::key, String.class)
          .flatMapGroupsWithState(Sessionization::call, OutputMode.APPEND, OpenSession.class,
              ClosedSession.class, GroupStateTimeout.EVENT_TIME_TIMEOUT)
          .toDF();
      case PROCESSOR_TIMERS -> watermarked(streams.payments())
          .groupByKey(Payment::key, String.class)
          .transformWithState(new SessionTimers(), TimeMode.EVENT_TIME, OutputMode.APPEND,
              TimedSession.class)
          .toDF();
      case JOIN -> clicksWithinTheWindow(streams.impressions(), streams.clicks());
      case KAFKA -> streams.kafkaRecords()
          .selectExpr("CAST(key AS STRING) AS key",
              "CAST(CAST(value AS STRING) AS BIGINT) AS amount")
          .filter("amount % " + DROPPED_DIVISOR + " <> 0")
          .selectExpr("key", "CAST(amount AS STRING) AS value");
    };
  }

  /** The input with the watermark every event-time kind uses, on its column {@code time}. */
  private static <T> Dataset<T> watermarked(Dataset<T> input) {
    return input.withWatermark("time", seconds(WATERMARK_DELAY_MILLIS));
  }

  /**
   * The join kind's query, as Spark's impressions and clicks example: a click matches an
   * impression of its key at or after it, within the window; Spark derives from the condition
   * that a click can go once the watermark is past its time, an impression once it is past its
   * time plus the window.
   */
  private static Dataset<Row> clicksWithinTheWindow(Dataset<AdEvent> impressions,
      Dataset<AdEvent> clicks) {
    return watermarked(impressions).alias("l")
        .join(watermarked(clicks).alias("r"),
            expr("l.key = r.key AND r.time >= l.time AND r.time <= l.time + INTERVAL "
                + seconds(JOIN_WINDOW_MILLIS)),
            "left_outer")
        .selectExpr("l.key AS key", "l.id AS impressionId", "l.time AS impressionTime",
            "r.id AS clickId", "r.time AS clickTime");
  }

  /** An interval as {@code withWatermark} and {@code window} take it: {@code 5 seconds}. */
  private static String seconds(long millis) {
    return millis / 1000 + " seconds";
  }

  /** The name on command lines and in reports: {@code stateless}, {@code processor-timers}. */
  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static CrashKind of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
