package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that readers see either nothing or the whole file, and so that the file survives
 * a power loss once the call returns.
 *
 * <p>The content goes to a temporary sibling whose name starts with {@code '.'} and ends with
 * {@code .tmp} (readers skip such names), is forced to disk, and is then renamed over the target
 * in one atomic step; finally the directory is forced so that the rename itself is durable.
 */
final class AtomicFiles {
  private static final int BUFFER_BYTES = 64 * 1024;

  /** Writes the content of a file to the stream it is given; the caller closes the stream. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} atomically, replacing any earlier file of that name, but leaves forcing
   * the directory to the caller, who writes several files into one directory and forces it once
   * afterwards.
   */
  static void writeWithoutDirectorySync(Path target, Body body) {
    Path temp = tempFor(target);
    try {
      try (FileChannel channel =
              FileChannel.open(
                  temp,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE);
          OutputStream out =
              new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES)) {
        body.writeTo(out);
        out.flush();
        // Data first, then the rename: a crash must never expose a renamed file with holes.
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new SluiceException(
          ErrorKind.CONNECTOR, "could not write " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  /** The temporary name {@code target} is written under before its rename. */
  static Path tempFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }

  /** Whether readers must skip a file of this name: temporary, hidden or metadata. */
  static boolean isHiddenOrTemporary(String fileName) {
    return fileName.startsWith(".") || fileName.startsWith("_") || fileName.endsWith(".tmp");
  }

  /**
   * Forces a directory's entries to disk, so that files created or renamed in it survive a power
   * loss. Some platforms (Windows) cannot open a directory; there the rename is as durable as the
   * file system makes it, which is the best that can be done.
   */
  static void fsyncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not an error: see above.
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temporary file is ignored by every reader; failing the write for it would not
      // help.
    }
  }
}
