package io.sluice.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The main class of a {@link KafkaBroker}'s JVM: formats the storage when asked, then runs {@code
 * kafka.Kafka} on the properties file, and exits when the JVM that launched it is gone.
 *
 * <p>Arguments: {@code server.properties [clusterId]}; with a cluster id it first runs {@code
 * kafka.tools.StorageTool format -t clusterId -c server.properties --standalone}, in this JVM
 * to spare the machine a second JVM start.
 *
 * <p>The launching JVM holds this process's standard input open and never writes to it. When
 * that JVM dies, even by SIGKILL where its shutdown hooks never run, the pipe closes and this
 * JVM exits, so no broker outlives the tests that started it.
 */
public final class KafkaBrokerMain {
  /** A bound on Kafka's own shutdown once the launcher is gone; past it the JVM halts. */
  private static final long ORPHAN_SHUTDOWN_BOUND_SECONDS = 30;

  private KafkaBrokerMain() {}

  public static void main(String[] args) {
    watchLauncher(System.in);
    String properties = args[0];
    if (args.length > 1) {
      format(properties, args[1]);
    }
    kafka.Kafka.main(new String[] {properties});
  }

  private static void format(String properties, String clusterId) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int status = kafka.tools.StorageTool.execute(
        new String[] {"format", "-t", clusterId, "-c", properties, "--standalone"}, out);
    if (status != 0) {
      out.println("StorageTool format exited with status " + status);
      System.exit(status);
    }
  }

  private static void watchLauncher(InputStream lifeline) {
    Thread watcher = new Thread(() -> {
      awaitEndOf(lifeline);
      System.out.println("the launching JVM is gone: the broker shuts down");
      haltAfterBound();
      System.exit(1);
    }, "launcher-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Returns when {@code lifeline}, a pipe the launching JVM holds open, closes. */
  static void awaitEndOf(InputStream lifeline) {
    try {
      while (lifeline.read() >= 0) {
        // The launcher writes nothing; a byte, should one come, means nothing either.
      }
    } catch (IOException e) {
      // A broken pipe is the launcher's death too.
    }
  }

  /** Kafka's shutdown hook may wait on a peer that is gone too; the JVM must end regardless. */
  private static void haltAfterBound() {
    Thread halter = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(ORPHAN_SHUTDOWN_BOUND_SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(1);
    }, "orphan-halt");
    halter.setDaemon(true);
    halter.start();
  }
}
