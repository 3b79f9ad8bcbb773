package io.sluice.internal.connector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.api.ErrorKind;
import io.sluice.api.OutputMode;
import io.sluice.api.Schema;
import io.sluice.api.SluiceException;
import io.sluice.internal.batch.ColumnBatch;
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
 * <p>A batch's rows go to {@code part-<batchId>-<uuid>.json} files (several when option {@code
 * maxRecordsPerFile} is set), each written under a temporary name, forced to disk and renamed.
 * Then the entry {@code _sluice_sink_log/<batchId>} lists them; a batch is committed when, and
 * only when, that entry exists. Readers that honour the log ({@link FileSource}, {@link
 * #committedFiles}) therefore never see a half-written batch, and a batch that is re-run after a
 * restart is skipped if its entry exists, or else written afresh after removing the parts of the
 * failed attempt.
 *
 * <p>Append output mode only: a file sink cannot take back rows it has written.
 *
 * <pre>{@code
 * Sink out = new FileSink(Path.of("/data/out"), new Options("file sink", Map.of()));
 * }</pre>
 */
public final class FileSink implements Sink {
  private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);

  private final Path directory;
  private final SinkLog log;
  private final long maxRecordsPerFile;
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
   * @throws SluiceException of kind {@link ErrorKind#INVALID_OPTION} for a format other than json
   *     or a negative {@code maxRecordsPerFile}
   */
  public FileSink(Path directory, Options options) {
    this.directory = directory;
    this.log = new SinkLog(directory);
    this.maxRecordsPerFile = maxRecordsPerFile(options);
    String format = options.get("format", "json");
    if (!format.equalsIgnoreCase("json")) {
      throw options.invalid("format", format, "json (the file sink writes JSON lines only)");
    }
    createDirectories(log.logDirectory());
  }

  /** The files committed to a file sink's output {@code directory}, in commit order. */
  public static List<Path> committedFiles(Path directory) {
    SinkLog log = new SinkLog(directory);
    List<Path> files = new ArrayList<>();
    for (long batchId : log.batchIds()) {
      files.addAll(log.files(batchId));
    }
    return files;
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
    if (log.contains(batchId)) {
      return;
    }
    if (mayHaveOrphans) {
      removeFailedAttempt(batchId);
    }
    mayHaveOrphans = true;
    List<String> parts = writeParts(batchId, schema, chunks);
    // The parts' renames must be durable before the log entry that makes them visible.
    AtomicFiles.fsyncDirectory(directory);
    log.write(batchId, parts);
    mayHaveOrphans = false;
  }

  private List<String> writeParts(long batchId, Schema schema, List<ColumnBatch> chunks) {
    JsonRowWriter writer = new JsonRowWriter(schema);
    RowCursor rows = new RowCursor(chunks);
    long perFile = maxRecordsPerFile == 0 ? Long.MAX_VALUE : maxRecordsPerFile;
    List<String> parts = new ArrayList<>();
    while (rows.hasNext()) {
      String name = partPrefix(batchId) + UUID.randomUUID() + ".json";
      AtomicFiles.writeWithoutDirectorySync(
          directory.resolve(name), out -> writeRows(out, writer, rows, perFile));
      parts.add(name);
    }
    return parts;
  }

  private static void writeRows(OutputStream out, JsonRowWriter writer, RowCursor rows, long limit)
      throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      // The caller forces and closes the file; closing it here would be too early.
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (long n = 0; n < limit && rows.hasNext(); n++) {
        writer.write(json, rows.chunk(), rows.row());
        rows.advance();
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

  private static long maxRecordsPerFile(Options options) {
    long max = options.getLong("maxRecordsPerFile", 0);
    if (max < 0) {
      throw options.invalid("maxRecordsPerFile", Long.toString(max), "0 (no limit) or more");
    }
    return max;
  }

  private static void createDirectories(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new SluiceException(
          ErrorKind.CONNECTOR, "could not create " + path + ": " + e.getMessage(), e);
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
