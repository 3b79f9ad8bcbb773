package io.sluice.internal.connector;

import io.sluice.api.BadRecordPolicy;
import io.sluice.api.ErrorKind;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the files that appear in a directory, JSON lines or CSV, each file once, in a stable order.
 *
 * <p>An offset is the number of files accepted so far (see {@link FileCatalog} for the order), so
 * a batch reads whole files and a re-run batch reads the same ones. The directory is not read
 * recursively. If it is the output of a Sluice file sink, only the files the sink committed are
 * read, which is how one query reads another's output exactly once.
 *
 * <p>Options: {@code maxFilesPerTrigger} (default unlimited); {@code timestampFormat} (a {@link
 * java.time.format.DateTimeFormatter} pattern; default ISO-8601, read as UTC); {@code badRecords}
 * = {@code fail} (default), {@code drop} or {@code deadLetter} with {@code badRecordsPath}, or
 * Spark's {@code mode} = {@code FAILFAST} or {@code DROPMALFORMED}; for CSV {@code header}
 * (default false) and {@code sep} (default {@code ,}). Timestamp text, by {@code
 * timestampFormat} too, also fills an event time of epoch milliseconds: a {@code long} marked
 * {@code @EventTime}.
 *
 * <pre>{@code
 * Source clicks = new FileSource(Path.of("/data/clicks"), "json", clickSchema,
 *     new Options("file source", Map.of("maxFilesPerTrigger", "10")));
 * }</pre>
 */
public final class FileSource implements Source {
  private final Path directory;
  private final Schema schema;
  private final RecordDecoder decoder;
  private final RowScratch row;
  private final BadRecordPolicy policy;
  private final @Nullable Path badRecordsPath;
  private final long maxFilesPerTrigger;
  private final FileCatalog catalog;
  /** The end pinned by {@link #prepareForAvailableNow}, or -1. */
  private long pinnedEnd = -1;
  /** False once {@link #readAllAvailable} has lifted {@code maxFilesPerTrigger}. */
  private boolean limited = true;

  private Map<String, String> lastMetrics = Map.of();
  private long totalMalformed;
  private long totalDeadLettered;

  /**
   * A source over {@code directory} in {@code format} ({@code json} or {@code csv}).
   *
   * @throws SluiceException of kind {@link ErrorKind#INVALID_OPTION} for an unknown format or a
   *     bad option value
   */
  public FileSource(Path directory, String format, Schema schema, Options options) {
    this(directory, format, schema, options, Set.of());
  }

  /**
   * The same, where the BIGINT columns {@code epochMillisTimes} are event times in epoch
   * milliseconds (a {@code long} marked {@code @EventTime}): their values may also be timestamp
   * text, read as a TIMESTAMP column's are.
   */
  public FileSource(Path directory, String format, Schema schema, Options options,
      Set<String> epochMillisTimes) {
    FileSourceOptions parsed = FileSourceOptions.parse(options);
    this.directory = directory;
    this.schema = schema;
    this.row = new RowScratch(schema);
    this.decoder = decoder(format, schema, parsed, epochMillisTimes);
    this.policy = parsed.badRecords();
    this.badRecordsPath = parsed.badRecordsPath();
    this.maxFilesPerTrigger = parsed.maxFilesPerTrigger();
    this.catalog = new FileCatalog(directory);
  }

  @Override
  public String description() {
    return "FileSource[" + directory + "]";
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public @Nullable Offset latestOffset(@Nullable Offset start) {
    long available = pinnedEnd >= 0 ? pinnedEnd : catalog.refresh();
    if (available == 0) {
      return null;
    }
    long from = LongOffset.valueOf(start);
    long max = limited ? maxFilesPerTrigger : Long.MAX_VALUE;
    // Subtracting, not adding, so that an unlimited maximum cannot overflow.
    long end = available - from <= max ? available : from + max;
    // Never behind start, even if files the log already counted have since been deleted.
    return new LongOffset(Math.max(from, end));
  }

  /** Keeps the list of accepted files in the checkpoint, so offsets survive a restart. */
  @Override
  public void useCheckpoint(Path directory) {
    catalog.persistTo(directory.resolve("files"));
  }

  @Override
  public void prepareForAvailableNow() {
    pinnedEnd = catalog.refresh();
  }

  @Override
  public void readAllAvailable() {
    limited = false;
  }

  /** Half the files' bytes: a row takes a line, at least one character and a line break. */
  @Override
  public long rowsBetween(@Nullable Offset start, Offset end) {
    long bytes = 0;
    for (Path file : catalog.range(LongOffset.valueOf(start), LongOffset.valueOf(end))) {
      try {
        bytes += Files.size(file);
      } catch (IOException e) {
        // The read names the file that is gone; the estimate only decides how it is read.
        return -1;
      }
    }
    return bytes / 2;
  }

  @Override
  public void read(@Nullable Offset start, Offset end, ChunkConsumer out) {
    long from = LongOffset.valueOf(start);
    long to = LongOffset.valueOf(end);
    List<Path> files = catalog.range(from, to);
    ColumnBatch chunk = new ColumnBatch(schema, ColumnBatch.DEFAULT_CHUNK_ROWS);
    try (BadRecordHandler bad = new BadRecordHandler(policy, deadLetters(from, to))) {
      for (Path file : files) {
        readFile(file, chunk, out, bad);
      }
      if (chunk.size() > 0) {
        out.accept(chunk);
      }
      bad.commit();
      recordMetrics(bad);
    }
  }

  @Override
  public Map<String, String> metrics() {
    return lastMetrics;
  }

  /** Records set aside by the bad-record policy over the life of this source. */
  public long totalMalformedRows() {
    return totalMalformed;
  }

  /** Records written to dead-letter files over the life of this source. */
  public long totalDeadLetteredRows() {
    return totalDeadLettered;
  }

  private void readFile(Path file, ColumnBatch chunk, ChunkConsumer out, BadRecordHandler bad) {
    decoder.startFile(file);
    // InputStreamReader replaces undecodable bytes instead of failing, so one bad byte is one bad
    // field, not a failed query.
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      long lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (lineNumber == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (!line.isBlank() && decodeLine(file, lineNumber, line, chunk, bad)
            && chunk.size() == ColumnBatch.DEFAULT_CHUNK_ROWS) {
          out.accept(chunk);
          chunk.clear();
        }
      }
    } catch (NoSuchFileException e) {
      throw new SluiceException(
          ErrorKind.CONNECTOR, "file " + file + " was listed but no longer exists", e);
    } catch (IOException e) {
      throw new SluiceException(
          ErrorKind.CONNECTOR, "could not read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends the line's record to the chunk; false if it held none or was bad. */
  private boolean decodeLine(
      Path file, long lineNumber, String line, ColumnBatch chunk, BadRecordHandler bad) {
    row.reset();
    try {
      if (!decoder.decode(line, row)) {
        return false;
      }
    } catch (BadRecordException e) {
      bad.handle(file, lineNumber, line, e.getMessage());
      return false;
    }
    row.appendTo(chunk);
    return true;
  }

  private void recordMetrics(BadRecordHandler bad) {
    totalMalformed += bad.malformed();
    totalDeadLettered += bad.deadLettered();
    Map<String, String> metrics = new LinkedHashMap<>();
    metrics.put("numMalformedRows", Long.toString(bad.malformed()));
    if (policy == BadRecordPolicy.DEAD_LETTER) {
      metrics.put("numDeadLetteredRows", Long.toString(bad.deadLettered()));
    }
    lastMetrics = Map.copyOf(metrics);
  }

  private @Nullable DeadLetterWriter deadLetters(long from, long to) {
    if (badRecordsPath == null) {
      return null;
    }
    // Named by the range and the source directory: re-reading a range replaces its file, and two
    // sources sharing one badRecordsPath do not overwrite each other's.
    String name =
        String.format(
            Locale.ROOT,
            "bad-records-%05d-%05d-%08x.json",
            from,
            to,
            directory.toAbsolutePath().toString().hashCode());
    return new DeadLetterWriter(badRecordsPath, name);
  }

  private static RecordDecoder decoder(String format, Schema schema, FileSourceOptions options,
      Set<String> epochMillisTimes) {
    TextValues text = TextValues.of(schema, options.timestamps(), epochMillisTimes);
    switch (format.toLowerCase(Locale.ROOT)) {
      case "json":
        return new JsonLineDecoder(schema, text);
      case "csv":
        CsvLineDecoder.refuseBinary(schema);
        return new CsvLineDecoder(schema, options.separator(), options.header(), text);
      default:
        throw new SluiceException(
            ErrorKind.INVALID_OPTION,
            "file source format '" + format + "' is not supported; use json or csv");
    }
  }
}
