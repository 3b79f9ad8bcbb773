package io.sluice.internal.connector;

import io.sluice.api.Clock;
import io.sluice.api.DataType;
import io.sluice.api.Field;
import io.sluice.api.Schema;
import io.sluice.internal.batch.ColumnBatch;
import io.sluice.internal.batch.LongVector;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Generates {@code (timestamp, value)} rows at a fixed rate, like Spark's rate source: for load
 * tests, demos and examples that need a stream without a broker.
 *
 * <p>The offset is the number of rows due: with {@code rowsPerSecond} R and no ramp-up, R per whole
 * second elapsed since the first {@link #latestOffset} call (see {@link RateSchedule} for the
 * ramp-up). Row {@code v} has value {@code v} and the timestamp {@code start + s * 1000 + i * 1000
 * / rate(s)}, where {@code s} is the second it belongs to and {@code i} its index in that second,
 * so that a second's rows are spread evenly across it.
 *
 * <p>Options: {@code rowsPerSecond} (default 1, positive), {@code rampUpTime} (whole seconds,
 * written {@code 5} or {@code 5s}, default 0), {@code numPartitions} (accepted for Spark
 * compatibility; one reader is enough for generated rows).
 *
 * <p>The start time lives in memory only. A source created for a restarted query counts from the
 * offset it resumes at, as if that many rows were due when it started; timestamps of rows
 * generated before the restart are not reproduced exactly.
 *
 * <pre>{@code
 * Source rate = new RateSource(new Options("rate source", Map.of("rowsPerSecond", "100")), clock);
 * }</pre>
 */
public final class RateSource implements Source {
  /** {@code timestamp TIMESTAMP NOT NULL, value BIGINT NOT NULL}, as in Spark. */
  public static final Schema SCHEMA =
      Schema.of(
          Field.required("timestamp", DataType.TIMESTAMP), Field.required("value", DataType.LONG));

  private static final Pattern SECONDS = Pattern.compile("(\\d+)\\s*(s|sec|secs|seconds?)?");

  private final Clock clock;
  private final long rowsPerSecond;
  private final long rampUpSeconds;
  private final RateSchedule schedule;
  /** Clock time of second 0; unknown until the source is first asked for its offset. */
  private long startMillis;
  private boolean started;
  /** The checkpoint file that keeps second 0 across restarts, or null. */
  private @Nullable Path startFile;

  /**
   * A rate source on {@code clock}.
   *
   * @throws io.sluice.api.SluiceException of kind {@code INVALID_OPTION} for a non-positive rate or
   *     partition count, or a negative or malformed ramp-up time
   */
  public RateSource(Options options, Clock clock) {
    this.clock = clock;
    this.rowsPerSecond = options.getLong("rowsPerSecond", 1);
    if (rowsPerSecond <= 0) {
      throw options.invalid("rowsPerSecond", Long.toString(rowsPerSecond), "a positive number");
    }
    this.rampUpSeconds = rampUpSeconds(options);
    int numPartitions = options.getInt("numPartitions", 1);
    if (numPartitions <= 0) {
      throw options.invalid("numPartitions", Integer.toString(numPartitions), "a positive number");
    }
    this.schedule = new RateSchedule(rowsPerSecond, rampUpSeconds);
  }

  @Override
  public String description() {
    return "RateSource[rowsPerSecond="
        + rowsPerSecond
        + ", rampUpTimeSeconds="
        + rampUpSeconds
        + "]";
  }

  @Override
  public Schema schema() {
    return SCHEMA;
  }

  /** The rows due by now; null while none are (the first second has not passed). */
  @Override
  public @Nullable Offset latestOffset(@Nullable Offset start) {
    startIfNeeded(LongOffset.valueOf(start));
    long elapsedSeconds = Math.max(0, Math.floorDiv(clock.millis() - startMillis, 1000));
    long due = schedule.rowsDueAfter(elapsedSeconds);
    if (start == null && due == 0) {
      return null;
    }
    return new LongOffset(Math.max(due, LongOffset.valueOf(start)));
  }

  @Override
  public long rowsBetween(@Nullable Offset start, Offset end) {
    return LongOffset.valueOf(end) - LongOffset.valueOf(start);
  }

  @Override
  public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
    long from = LongOffset.valueOf(start);
    long to = LongOffset.valueOf(end);
    startIfNeeded(to);
    ColumnBatch chunk = new ColumnBatch(SCHEMA, chunkRows(start, end));
    for (long value = from; value < to; ) {
      int rows = (int) Math.min(ColumnBatch.DEFAULT_CHUNK_ROWS - chunk.size(), to - value);
      LongVector timestamps = chunk.longs(0);
      LongVector values = chunk.longs(1);
      int at = timestamps.reserveRows(rows);
      values.reserveRows(rows);
      schedule.offsetsMillis(startMillis, value, timestamps.values, at, rows);
      for (int r = at; r < at + rows; r++) {
        values.values[r] = value++;
      }
      if (chunk.size() == ColumnBatch.DEFAULT_CHUNK_ROWS) {
        out.accept(chunk);
        chunk.clear();
      }
    }
    if (chunk.size() > 0) {
      out.accept(chunk);
    }
  }

  /** Rows of the chunks reading {@code (start, end]}: no more than a chunk, nor than the range. */
  static int chunkRows(@Nullable Offset start, Offset end) {
    long rows = LongOffset.valueOf(end) - LongOffset.valueOf(start);
    return (int) Math.max(1, Math.min(rows, ColumnBatch.DEFAULT_CHUNK_ROWS));
  }

  /**
   * Fixes second 0 at the first call. A fresh source starts now; one resuming at {@code rows} (a
   * restarted query) starts as far back as those rows need, so that it neither repeats offsets nor
   * jumps ahead.
   */
  private void startIfNeeded(long rows) {
    if (!started) {
      startMillis = clock.millis() - schedule.secondsUntil(rows) * 1000;
      started = true;
      if (startFile != null) {
        CheckpointFile.write(startFile, Long.toString(startMillis));
      }
    }
  }

  /**
   * Keeps second 0 in the checkpoint: a restarted query regenerates a re-run batch's rows with the
   * same timestamps.
   */
  @Override
  public void useCheckpoint(Path directory) {
    startFile = directory.resolve("start");
    if (Files.exists(startFile)) {
      String text = CheckpointFile.read(startFile).trim();
      try {
        startMillis = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new io.sluice.api.SluiceException(io.sluice.api.ErrorKind.CHECKPOINT,
            "checkpoint file " + startFile + " holds '" + text + "', not a start time", e);
      }
      started = true;
    }
  }

  private static long rampUpSeconds(Options options) {
    String text = options.get("rampUpTime", "0").trim().toLowerCase(Locale.ROOT);
    Matcher m = SECONDS.matcher(text);
    if (!m.matches()) {
      throw options.invalid("rampUpTime", text, "a whole number of seconds, e.g. 5 or 5s");
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw options.invalid("rampUpTime", text, "a whole number of seconds, e.g. 5 or 5s");
    }
  }
}
