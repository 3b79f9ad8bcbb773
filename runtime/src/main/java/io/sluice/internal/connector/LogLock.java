package io.sluice.internal.connector;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a lock file in a file sink's log folder, waited for, between threads and
 * between processes. The operating system releases it when a process dies, so a killed writer
 * never blocks the others.
 *
 * <p>A process may not hold two operating-system locks on one file, so threads of one process
 * first queue on a lock of their own for that file.
 */
final class LogLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private LogLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits for the lock on {@code file}, creating it if needed. */
  static LogLock acquire(Path file) {
    ReentrantLock local = IN_PROCESS.computeIfAbsent(key(file), k -> new ReentrantLock());
    local.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new LogLock(local, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      local.unlock();
      throw new SluiceException(ErrorKind.CONNECTOR, "could not lock " + file + ": " + e, e);
    }
  }

  /** One key per file, however a caller spells its path. */
  private static Path key(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      return absolute.getParent().toRealPath().resolve(absolute.getFileName());
    } catch (IOException e) {
      return absolute;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it too.
    }
    closeQuietly(channel);
    local.unlock();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing releases the lock; nothing more can be done.
      }
    }
  }
}
