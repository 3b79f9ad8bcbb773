package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file sink's log: the entry {@code _sluice_sink_log/<batchId>} lists the part files batch
 * {@code batchId} committed, and only files listed there are part of the output.
 *
 * <p>An entry is a checkpoint file (see {@link CheckpointFile}): a header line with the format
 * version, a CRC32 and the length of the rest, then one part-file name per line, relative to the
 * output directory. Entries are written atomically and never changed, so a reader sees a batch's
 * files all at once or not at all; README.md documents the format for readers other than Sluice.
 */
final class SinkLog {
  static final String DIRECTORY = "_sluice_sink_log";

  private final Path outputDirectory;
  private final Path logDirectory;

  SinkLog(Path outputDirectory) {
    this.outputDirectory = outputDirectory;
    this.logDirectory = outputDirectory.resolve(DIRECTORY);
  }

  /** Whether {@code directory} holds the output of a file sink. */
  static boolean isSinkOutput(Path directory) {
    return Files.isDirectory(directory.resolve(DIRECTORY));
  }

  Path logDirectory() {
    return logDirectory;
  }

  boolean contains(long batchId) {
    return Files.exists(entry(batchId));
  }

  /** Commits batch {@code batchId} with the part files {@code fileNames}, atomically. */
  void write(long batchId, List<String> fileNames) {
    StringBuilder text = new StringBuilder();
    for (String name : fileNames) {
      text.append(name).append('\n');
    }
    CheckpointFile.write(entry(batchId), text.toString());
  }

  /** The ids of committed batches, in increasing order. */
  List<Long> batchIds() {
    try (Stream<Path> entries = Files.list(logDirectory)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(SinkLog::isBatchId)
          .map(Long::parseLong)
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw failure("could not list " + logDirectory, e);
    }
  }

  /** The part files batch {@code batchId} committed, as paths in the output directory. */
  List<Path> files(long batchId) {
    String[] lines = CheckpointFile.read(entry(batchId)).split("\n");
    List<Path> files = new ArrayList<>(lines.length);
    for (String name : lines) {
      if (!name.isEmpty()) {
        files.add(outputDirectory.resolve(name));
      }
    }
    return files;
  }

  private Path entry(long batchId) {
    return logDirectory.resolve(Long.toString(batchId));
  }

  /** Entry names are decimal batch ids; anything else (a temporary file) is not an entry. */
  private static boolean isBatchId(String name) {
    if (name.isEmpty() || name.length() > 18) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static SluiceException failure(String what, IOException e) {
    return new SluiceException(ErrorKind.CONNECTOR, what + ": " + e.getMessage(), e);
  }
}
