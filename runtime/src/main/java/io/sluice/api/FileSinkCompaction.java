package io.sluice.api;

import io.sluice.internal.connector.SinkCompaction;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fights the small-files problem of a JSON file sink's output: merges the small part files of
 * committed batches into larger ones, and later deletes the files it replaced.
 *
 * <p>Safe to run while the query writes to the sink and while other queries, or {@code read()},
 * read its output: the merged files become visible, and the small ones invisible, in one commit
 * of the sink log, so a reader sees each row once whether it listed the files before or after. A
 * streaming reader of the output ({@code readStream().json(output, ...)}) does not read merged
 * rows again. The small files stay on disk until {@link #vacuum} deletes them, so that a reader
 * that listed them before the commit can still open them: give vacuum a retention longer than any
 * reader takes between listing and reading, and longer than a streaming reader of the output may
 * stop (one that comes back after vacuum deleted files it still needs fails with an error saying
 * so). One compaction or vacuum runs at a time per output; others wait.
 *
 * <pre>{@code
 * FileSinkCompaction.compact(Path.of("/data/out"), 128L << 20);   // into files of up to 128 MiB
 * FileSinkCompaction.vacuum(Path.of("/data/out"), Duration.ofHours(1));
 * }</pre>
 */
public final class FileSinkCompaction {
  private FileSinkCompaction() {}

  /** What a compaction did: how many small files it merged, into how many new ones. */
  public record Result(int filesMerged, int filesWritten) {}

  /**
   * Merges the committed files of {@code output} smaller than {@code targetFileSize} bytes, in
   * batch order, into files of at most that size (a small file with no neighbour to share a file
   * with stays as it is). A merged file left by a compaction that died before its commit is
   * deleted.
   *
   * @throws SluiceException if {@code output} is not a file sink's output, or the size is not
   *     positive
   */
  public static Result compact(Path output, long targetFileSize) {
    return new SinkCompaction(output, System::currentTimeMillis).compact(targetFileSize);
  }

  /**
   * Deletes the files of {@code output} that compactions replaced at least {@code retention} ago,
   * and merged files left by a compaction that died before its commit; returns how many files it
   * deleted.
   *
   * @throws SluiceException if the retention is negative
   */
  public static int vacuum(Path output, Duration retention) {
    return new SinkCompaction(output, System::currentTimeMillis).vacuum(retention);
  }
}
