package io.sluice.crash;

import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The folders of one crash run: the growing input (two folders for the join, one a side), the
 * sink's output, the query's checkpoint; and what the checkpoint's logs say, read without
 * creating anything in it.
 */
record CrashFolders(Path root) {

  /** Creates the input and output folders under {@code root}; the query creates its checkpoint. */
  static CrashFolders createIn(Path root) {
    CrashFolders folders = new CrashFolders(root);
    try {
      Files.createDirectories(folders.input());
      Files.createDirectories(folders.rightInput());
      Files.createDirectories(folders.output());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return folders;
  }

  /** The input of every kind; for the join, its left side's. */
  Path input() {
    return root.resolve("input");
  }

  /** The join's right side's input; the other kinds leave it empty. */
  Path rightInput() {
    return root.resolve("input-right");
  }

  Path output() {
    return root.resolve("output");
  }

  Path checkpoint() {
    return root.resolve("checkpoint");
  }

  /** The last batch whose offsets the checkpoint logged, or -1. */
  long lastLoggedBatch() {
    return lastBatch(checkpoint().resolve("offsets"));
  }

  /** The last batch the checkpoint marked committed, or -1. */
  long lastCommittedBatch() {
    return lastBatch(checkpoint().resolve("commits"));
  }

  /**
   * Whether batch {@code batchId}, which the offsets log holds, reads no data: its end offset is
   * the one before it, so that it only runs for the watermark's sake.
   */
  boolean withoutData(long batchId) {
    return batchId > 0 && endOffset(batchId).equals(endOffset(batchId - 1));
  }

  /**
   * The offset lines of an offsets log entry, which follow a line of metadata: one line, or for
   * a query of several sources one a source.
   */
  private String endOffset(long batchId) {
    String entry = CheckpointFile.read(checkpoint().resolve("offsets").resolve(
        Long.toString(batchId)));
    return entry.substring(entry.indexOf('\n') + 1);
  }

  /** The highest batch id among a log folder's entries, which are named by batch id. */
  private static long lastBatch(Path log) {
    try (Stream<Path> entries = Files.list(log)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("\\d{1,18}"))
          .mapToLong(Long::parseLong)
          .max().orElse(-1);
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
