package io.sluice.internal.connector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.api.ErrorKind;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes each micro-batch as JSON-lines part files in a directory, exactly once.
 *
 * <p>A batch's rows go to {@code part-<batchId>-<uuid>.json} files, each written under a
 * temporary name, forced to disk and renamed; a new file starts once the current one holds
 * {@code maxRecordsPerFile} rows or has reached {@code targetFileSize} bytes (e.g. {@code 128m}),
 * whichever comes first (neither is set by default). Then the sink log's entry for the batch
 * lists them (see {@link SinkLog}); a batch is committed when, and only when, that entry is
 * written. Readers that honour the log ({@link FileSource}, {@link #committedFiles}) therefore
 * never see a half-written batch, and a batch that is re-run after a restart is skipped if the log
 * holds it or a later one (as in Spark), or else written afresh after removing the parts of the
 * failed attempt. Every {@code compactInterval} batches (default 10, as Spark's {@code
 * spark.sql.streaming.fileSink.log.compactInterval}) the entry folds the whole log and the older
 * entries are deleted, so that the log stays small. {@link SinkCompaction} merges small files
 * of committed batches later.
 *
 * <p>Append output mode only: a file sink cannot take back rows it has written.
 *
 * <pre>{@code
 * Sink out = new FileSink(Path.of("/data/out"), new Options("file sink", Map.of()));
 * }</pre>
 */
public final class FileSink implements Sink {
  private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);
  /** {@link #latestBatch} before the sink first looks at the log. */
  private static final long NOT_LOOKED = Long.MIN_VALUE;

  private final Path directory;
  private final SinkLog log;
  private final long maxRecordsPerFile;
  private final long targetFileSize;
  private final int compactInterval;
  /** The last batch the log held when this sink last looked (-1: none); only ever grows. */
  private long latestBatch = NOT_LOOKED;
  /**
   * Whether an earlier attempt may have left uncommitted parts: true for a new sink (the query may
   * be restarting after a crash) and after a failed batch; false once a batch has succeeded, so a
   * healthy sink does not list its growing directory every batch.
   */
  private boolean mayHaveOrphans = true;

  /**
   * A sink writing to {@code directory}, which is created now so that a file source can be
   * started on it before the first batch.
   *
   * @throws SluiceException of kind {@link ErrorKind#INVALID_OPTION} for a format other than
   *     json, a negative {@code maxRecordsPerFile} or {@code targetFileSize}, or a {@code
   *     compactInterval} below 1
   */
  public FileSink(Path directory, Options options) {
    this.directory = directory;
    this.log = new SinkLog(directory);
    this.maxRecordsPerFile = atLeastZero(options, "maxRecordsPerFile",
        options.getLong("maxRecordsPerFile", 0));
    this.targetFileSize = atLeastZero(options, "targetFileSize",
        options.getBytes("targetFileSize", 0));
    this.compactInterval = compactInterval(options);
    String format = options.get("format", "json");
    if (!format.equalsIgnoreCase("json")) {
      throw options.invalid("format", format, "json (the file sink writes JSON lines only)");
    }
    createDirectories(log.logDirectory());
  }

  /**
   * The files committed to a file sink's output {@code directory}, in commit order (a file the
   * compaction action merged comes where it was committed), as of one moment.
   */
  public static List<Path> committedFiles(Path directory) {
    return new SinkLog(directory).state().live().stream()
        .map(f -> directory.resolve(f.name())).toList();
  }

  /** The last batch committed to a file sink's output {@code directory}, or -1 if none. */
  public static long latestCommittedBatch(Path directory) {
    return new SinkLog(directory).latestBatch();
  }

  @Override
  public String description() {
    return "FileSink[" + directory + "]";
  }

  @Override
  public void addBatch(long batchId, Schema schema, List<ColumnBatch> chunks, OutputMode mode) {
    if (mode != OutputMode.APPEND) {
      throw new SluiceException(
          ErrorKind.OUTPUT_MODE,
          "file sink supports append output mode only, not "
              + mode.name().toLowerCase(Locale.ROOT));
    }
    if (committed(batchId)) {
      return;
    }
    if (mayHaveOrphans) {
      removeFailedAttempt(batchId);
    }
    mayHaveOrphans = true;
    List<String> parts = writeParts(batchId, schema, chunks);
    // The parts' renames must be durable before the log entry that makes them visible.
    AtomicFiles.fsyncDirectory(directory);
    if (!log.commitBatch(batchId, parts, compactInterval)) {
      // Another writer committed it meanwhile: these parts are nobody's.
      parts.forEach(name -> AtomicFiles.deleteQuietly(directory.resolve(name)));
    }
    latestBatch = Math.max(latestBatch, batchId);
    mayHaveOrphans = false;
  }

  /** Whether the log holds this batch or a later one; looks at the log only once. */
  private boolean committed(long batchId) {
    if (latestBatch == NOT_LOOKED) {
      latestBatch = log.latestBatch();
    }
    return batchId <= latestBatch;
  }

  private List<String> writeParts(long batchId, Schema schema, List<ColumnBatch> chunks) {
    JsonRowWriter writer = new JsonRowWriter(schema);
    RowCursor rows = new RowCursor(chunks);
    long perFile = maxRecordsPerFile == 0 ? Long.MAX_VALUE : maxRecordsPerFile;
    long bytes = targetFileSize == 0 ? Long.MAX_VALUE : targetFileSize;
    List<String> parts = new ArrayList<>();
    while (rows.hasNext()) {
      String name = partPrefix(batchId) + UUID.randomUUID() + ".json";
      AtomicFiles.writeWithoutDirectorySync(
          directory.resolve(name), out -> writeRows(out, writer, rows, perFile, bytes));
      parts.add(name);
    }
    return parts;
  }

  /** Writes rows until the file holds {@code maxRows} or has reached {@code maxBytes}. */
  private static void writeRows(OutputStream out, JsonRowWriter writer, RowCursor rows,
      long maxRows, long maxBytes) throws IOException {
    CountingOutputStream counted = new CountingOutputStream(out);
    try (JsonGenerator json = JSON.createGenerator(counted)) {
      // The caller forces and closes the file; closing it here would be too early.
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (long n = 0; n < maxRows && rows.hasNext(); n++) {
        writer.write(json, rows.chunk(), rows.row());
        rows.advance();
        // The generator buffers: its bytes not yet passed on count too.
        if (counted.count() + json.getOutputBuffered() >= maxBytes) {
          break;
        }
      }
    }
  }

  /**
   * Deletes part files of {@code batchId} left by an attempt that crashed before its log entry: no
   * reader trusts them, and the new attempt writes the rows again.
   */
  private void removeFailedAttempt(long batchId) {
    String prefix = partPrefix(batchId);
    try (Stream<Path> entries = Files.list(directory)) {
      entries
          .filter(p -> isPartOf(p.getFileName().toString(), prefix))
          .forEach(AtomicFiles::deleteQuietly);
    } catch (IOException e) {
      throw new SluiceException(
          ErrorKind.CONNECTOR, "could not list " + directory + ": " + e.getMessage(), e);
    }
  }

  private static boolean isPartOf(String name, String prefix) {
    return name.startsWith(prefix) || (name.startsWith("." + prefix) && name.endsWith(".tmp"));
  }

  /** {@code part-00007-}: five digits keep names sorted by batch for people listing the folder. */
  private static String partPrefix(long batchId) {
    return String.format(Locale.ROOT, "part-%05d-", batchId);
  }

  private static long atLeastZero(Options options, String key, long value) {
    if (value < 0) {
      throw options.invalid(key, Long.toString(value), "0 (no limit) or more");
    }
    return value;
  }

  private static int compactInterval(Options options) {
    int interval = options.getInt("compactInterval", 10);
    if (interval < 1) {
      throw options.invalid("compactInterval", Integer.toString(interval),
          "1 or more (the sink log folds its entries every that many batches)");
    }
    return interval;
  }

  private static void createDirectories(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new SluiceException(
          ErrorKind.CONNECTOR, "could not create " + path + ": " + e.getMessage(), e);
    }
  }

  /** Counts the bytes written through it. */
  private static final class CountingOutputStream extends FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    long count() {
      return count;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Walks the rows of a list of chunks in order, skipping empty chunks. */
  private static final class RowCursor {
    private final List<ColumnBatch> chunks;
    private int chunk;
    private int row;

    RowCursor(List<ColumnBatch> chunks) {
      this.chunks = chunks;
      skipEmpty();
    }

    boolean hasNext() {
      return chunk < chunks.size();
    }

    ColumnBatch chunk() {
      return chunks.get(chunk);
    }

    int row() {
      return row;
    }

    void advance() {
      row++;
      skipEmpty();
    }

    private void skipEmpty() {
      while (chunk < chunks.size() && row >= chunks.get(chunk).size()) {
        chunk++;
        row = 0;
      }
    }
  }
}
