package io.sluice.internal.checkpoint;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Writes and reads checkpoint files: atomically (a temporary file in the same folder, fsync,
 * rename, fsync of the folder; or only the rename, which is enough for a crash of the process, as
 * the kernel keeps what it was given), with a first line that carries the format version, a CRC32 and
 * the length of the body, so that a torn or damaged file is detected instead of trusted.
 *
 * <p>Layout: {@code sluice-checkpoint v1 crc32=<8 hex> length=<bytes>\n<body>}.
 */
public final class CheckpointFile {
  public static final int FORMAT_VERSION = 1;

  private static final Pattern HEADER =
      Pattern.compile("sluice-checkpoint v(\\d{1,9}) crc32=([0-9a-f]{8}) length=(\\d{1,12})");

  private CheckpointFile() {}

  /** Writes {@code body} to {@code file}; readers see the old file or the new one, never a mix. */
  public static void write(Path file, String body) {
    write(file, body, true);
  }

  /**
   * Writes {@code body} to {@code file} as {@link #write(Path, String)} does; unless {@code sync},
   * without waiting for the disk: the file then survives a crash of the process but not
   * necessarily one of the machine.
   */
  public static void write(Path file, String body, boolean sync) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    String header = "sluice-checkpoint v" + FORMAT_VERSION + " crc32="
        + String.format("%08x", crc(content)) + " length=" + content.length + "\n";
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap(header.getBytes(StandardCharsets.UTF_8)));
        out.write(ByteBuffer.wrap(content));
        if (sync) {
          out.force(true);
        }
      }
      publish(temp, file, sync);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot write checkpoint file " + file + ": " + e, e);
    }
  }

  /**
   * Makes a fully written and synced {@code temp} file visible as {@code file}, durably: readers
   * see the old file or the new one, never a mix.
   */
  public static void publish(Path temp, Path file) throws IOException {
    publish(temp, file, true);
  }

  /** As {@link #publish(Path, Path)}; unless {@code sync}, the rename is not synced either. */
  public static void publish(Path temp, Path file, boolean sync) throws IOException {
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (sync) {
      syncDirectory(file.toAbsolutePath().getParent());
    }
  }

  /** The body of {@code file}, after checking its header, length and checksum. */
  public static String read(Path file) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint file " + file + " is missing",
          e);
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot read checkpoint file " + file + ": " + e, e);
    }
    int newline = indexOf(all, (byte) '\n');
    if (newline < 0) {
      throw corrupt(file, "it has no header line (empty or truncated)");
    }
    Matcher m = HEADER.matcher(new String(all, 0, newline, StandardCharsets.UTF_8));
    if (!m.matches()) {
      throw corrupt(file, "its header is not a Sluice checkpoint header");
    }
    int version = Integer.parseInt(m.group(1));
    if (version > FORMAT_VERSION) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "checkpoint file " + file
          + " has format version " + version + "; this Sluice reads up to " + FORMAT_VERSION);
    }
    int length = all.length - newline - 1;
    if (length != Long.parseLong(m.group(3))) {
      throw corrupt(file, "its body has " + length + " bytes, the header says " + m.group(3)
          + " (truncated?)");
    }
    byte[] body = java.util.Arrays.copyOfRange(all, newline + 1, all.length);
    if (crc(body) != Long.parseLong(m.group(2), 16)) {
      throw corrupt(file, "its checksum does not match its contents");
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private static SluiceException corrupt(Path file, String why) {
    return new SluiceException(ErrorKind.CHECKPOINT,
        "checkpoint file " + file + " is corrupt: " + why);
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Creates {@code directory} (and missing parents) durably: each new folder's entry is synced in
   * its parent, so that a power loss cannot make a whole log folder vanish.
   */
  public static void createDirectories(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    createDirectories(absolute.getParent());
    try {
      Files.createDirectory(absolute);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
      return;
    }
    syncDirectory(absolute.getParent());
  }

  /** Makes the rename itself durable; a file system that cannot sync a folder is left alone. */
  private static void syncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for syncing; the rename is still atomic.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The temporary name is ignored by readers; leaving it is harmless.
    }
  }
}
