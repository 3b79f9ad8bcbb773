package io.sluice.internal.state;

import java.util.concurrent.atomic.AtomicBoolean;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and drops one tiny Chronicle Map, so that the second or more Chronicle spends loading
 * and compiling its classes the first time a JVM uses it is spent while the application is still
 * starting (and the query being planned and compiled), not when its first batch needs state.
 */
public final class ChronicleWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private ChronicleWarmUp() {}

  /**
   * Starts the warm-up on a daemon thread of its own, once per JVM. It is never interrupted: an
   * interrupt in the middle of class initialisation would break Chronicle for the whole JVM.
   */
  public static void startOnce() {
    if (STARTED.compareAndSet(false, true)) {
      Thread thread = new Thread(ChronicleWarmUp::run, "sluice-chronicle-warm-up");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Runs the warm-up; a failure is only logged, since the real map will report it. */
  static void run() {
    try (ChronicleMap<byte[], byte[]> map = ChronicleMapBuilder.of(byte[].class, byte[].class)
        .name("warm-up").entries(16).averageKeySize(8).averageValueSize(8).create()) {
      map.put(new byte[] {1}, new byte[] {1});
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("Chronicle Map warm-up failed: {}", e.toString());
    }
  }
}
