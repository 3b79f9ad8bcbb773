package io.sluice.internal.checkpoint;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a checkpoint folder ({@code <dir>/.lock}), held while a query runs on it;
 * the operating system releases it when the process dies, so a killed query never blocks its
 * restart.
 */
final class CheckpointLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private CheckpointLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static CheckpointLock acquire(Path directory) {
    Path file = directory.resolve(".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(directory);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(directory, null);
      }
      return new CheckpointLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      close(channel);
      throw inUse(directory, e);
    } catch (IOException e) {
      close(channel);
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot lock checkpoint " + directory + ": " + e, e);
    } catch (SluiceException e) {
      close(channel);
      throw e;
    }
  }

  private static SluiceException inUse(Path directory, Throwable cause) {
    return new SluiceException(ErrorKind.CHECKPOINT, "checkpoint " + directory + " is in use by "
        + "another running query; stop it first, or give this query its own checkpoint location",
        cause);
  }

  private static void close(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing releases the lock; nothing else to do if it fails.
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // The channel's close below releases it as well.
    }
    close(channel);
  }
}
