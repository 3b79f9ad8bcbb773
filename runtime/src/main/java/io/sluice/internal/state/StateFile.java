package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A file of state entries in a store's checkpoint folder: a batch's change log ({@code N.delta},
 * each changed key with its value before and after) or a snapshot ({@code N.snapshot}, each key
 * with its value). Both are streamed, so that neither writing nor reading holds the state on the
 * heap, and written atomically; a CRC32 at the end detects a torn or damaged file.
 *
 * <p>Layout: the magic {@code SLST}, an int format version; then per entry an int key length and
 * the key, and for the value before and the value after an int length ({@code -1} for absent) and
 * the bytes; then the int {@code -2}, the long number of entries and the long CRC32 of every byte
 * before the {@code -2}.
 */
final class StateFile {
  static final int FORMAT_VERSION = 1;
  private static final int MAGIC = 0x534c5354;
  private static final int ABSENT = -1;
  private static final int END = -2;

  private StateFile() {}

  /** Receives the entries of a file in the order they were written. */
  @FunctionalInterface
  interface EntryConsumer {
    void accept(byte[] key, byte @Nullable [] before, byte @Nullable [] after);
  }

  /** Writes one state file; nothing is visible under its name until {@link #publish()}. */
  static final class Writer implements AutoCloseable {
    private final Path file;
    private final Path temp;
    private final FileChannel channel;
    private final CRC32 crc = new CRC32();
    private final DataOutputStream out;
    private long entries;
    private boolean published;

    Writer(Path file) {
      this.file = file;
      this.temp = file.resolveSibling("." + file.getFileName() + ".tmp");
      try {
        CheckpointFile.createDirectories(file.toAbsolutePath().getParent());
        channel = FileChannel.open(temp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw cannotWrite(file, e);
      }
      out = new DataOutputStream(new CheckedOutputStream(
          new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), crc));
      try {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
      } catch (IOException e) {
        close();
        throw cannotWrite(file, e);
      }
    }

    void add(byte[] key, byte @Nullable [] before, byte @Nullable [] after) {
      try {
        out.writeInt(key.length);
        out.write(key);
        writeValue(before);
        writeValue(after);
        entries++;
      } catch (IOException e) {
        throw cannotWrite(file, e);
      }
    }

    private void writeValue(byte @Nullable [] value) throws IOException {
      if (value == null) {
        out.writeInt(ABSENT);
      } else {
        out.writeInt(value.length);
        out.write(value);
      }
    }

    /** Ends the file, syncs it and gives it its name; returns its size in bytes. */
    long publish() {
      try {
        long checksum = crc.getValue();
        out.writeInt(END);
        out.writeLong(entries);
        out.writeLong(checksum);
        out.flush();
        channel.force(true);
        long size = channel.size();
        channel.close();
        CheckpointFile.publish(temp, file);
        published = true;
        return size;
      } catch (IOException e) {
        throw cannotWrite(file, e);
      }
    }

    /** Abandons the file unless it was published. */
    @Override
    public void close() {
      try {
        channel.close();
        if (!published) {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        // A stray temporary file is removed when the store next opens.
      }
    }
  }

  /**
   * Streams the entries of {@code file} to {@code consumer}; the checksum is checked at the end,
   * so a caller that must not act on a damaged file reads it with {@link #verify} first.
   */
  static long read(Path file, EntryConsumer consumer) {
    try (InputStream raw = Files.newInputStream(file)) {
      CRC32 crc = new CRC32();
      DataInputStream in = new DataInputStream(
          new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), crc));
      if (in.readInt() != MAGIC) {
        throw corrupt(file, "it does not start as a Sluice state file");
      }
      int version = in.readInt();
      if (version > FORMAT_VERSION) {
        throw new SluiceException(ErrorKind.CHECKPOINT, "state file " + file
            + " has format version " + version + "; this Sluice reads up to " + FORMAT_VERSION);
      }
      long entries = 0;
      while (true) {
        long checksum = crc.getValue();
        int keyLength = in.readInt();
        if (keyLength == END) {
          long count = in.readLong();
          long stored = in.readLong();
          if (stored != checksum || count != entries) {
            throw corrupt(file, "its checksum does not match its contents");
          }
          if (in.read() != -1) {
            throw corrupt(file, "it has bytes after its end");
          }
          return entries;
        }
        byte[] key = bytes(in, keyLength, file);
        byte[] before = value(in, file);
        byte[] after = value(in, file);
        consumer.accept(key, before, after);
        entries++;
      }
    } catch (NoSuchFileException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT, "state file " + file + " is missing", e);
    } catch (EOFException e) {
      throw corrupt(file, "it ends before its end marker (truncated?)");
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot read state file " + file + ": " + e, e);
    }
  }

  /** Reads {@code file} once only to check it is whole; returns its number of entries. */
  static long verify(Path file) {
    return read(file, (key, before, after) -> { });
  }

  private static byte @Nullable [] value(DataInputStream in, Path file) throws IOException {
    int length = in.readInt();
    return length == ABSENT ? null : bytes(in, length, file);
  }

  private static byte[] bytes(DataInputStream in, int length, Path file) throws IOException {
    if (length < 0 || length > (1 << 28)) {
      throw corrupt(file, "it holds an entry of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private static SluiceException corrupt(Path file, String why) {
    return new SluiceException(ErrorKind.CHECKPOINT, "state file " + file + " is corrupt: " + why);
  }

  private static SluiceException cannotWrite(Path file, IOException e) {
    return new SluiceException(ErrorKind.CHECKPOINT,
        "cannot write state file " + file + ": " + e, e);
  }
}
