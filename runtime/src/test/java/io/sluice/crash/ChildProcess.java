package io.sluice.crash;

import io.sluice.internal.exec.JvmFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM running {@link CrashChild}. Two threads drain its output: stdout's lines become its
 * recovery timings and the moment it caught up, and the last lines of both streams are kept to explain a child that dies by
 * itself. Closing it kills the child if it still runs, so no JVM outlives its harness.
 */
final class ChildProcess implements AutoCloseable {
  /** How a POSIX process killed by SIGKILL (signal 9) exits, as {@link Process} reports it. */
  private static final int KILLED_EXIT_CODE = 128 + 9;
  private static final int TAIL_LINES = 40;
  /** A bound on waiting for a dead child's pipes to drain; they close with the process. */
  private static final long DRAIN_BOUND_MILLIS = 10_000;

  private final Process process;
  private final long launchedNanos;
  private final Deque<String> tail = new ArrayDeque<>();
  private final List<Thread> drainers = new ArrayList<>();
  private volatile long readyNanos = -1;
  private volatile long readyMillis = -1;
  private volatile long firstCommitMillis = -1;
  private volatile long firstCommitNanos = -1;
  private volatile long caughtUpNanos = -1;

  private ChildProcess(Process process, long launchedNanos) {
    this.process = process;
    this.launchedNanos = launchedNanos;
    drainers.add(drain(process.getInputStream(), this::onStdout, "stdout"));
    drainers.add(drain(process.getErrorStream(), this::keep, "stderr"));
  }

  /**
   * Starts a child on {@code folders}, with {@code more} arguments after the usual ones (the Kafka
   * kind's topics); {@code finish} makes it process what is there and exit.
   */
  static ChildProcess launch(CrashKind kind, CrashFolders folders, boolean finish,
      List<String> more) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JvmFlags.REQUIRED);
    // A small heap and the serial collector: the children share a small machine with the build.
    command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dchronicle.analytics.disable=true"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), kind.label(), folders.root().toString(),
        finish ? CrashChild.FINISH : CrashChild.RUN));
    command.addAll(more);
    long launched = System.nanoTime();
    try {
      return new ChildProcess(new ProcessBuilder(command).start(), launched);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0), e);
    }
  }

  long launchedNanos() {
    return launchedNanos;
  }

  /** When the child's ready line arrived, on the {@link System#nanoTime} clock. */
  OptionalLong readyNanos() {
    long ready = readyNanos;
    return ready < 0 ? OptionalLong.empty() : OptionalLong.of(ready);
  }

  /** Milliseconds from the child JVM's start to its query's start, as the child measured. */
  OptionalLong readyMillis() {
    return readyMillis < 0 ? OptionalLong.empty() : OptionalLong.of(readyMillis);
  }

  /** Milliseconds from the child JVM's start to its first committed batch. */
  OptionalLong firstCommitMillis() {
    return firstCommitMillis < 0 ? OptionalLong.empty() : OptionalLong.of(firstCommitMillis);
  }

  /** When the child's first-commit line arrived, on the {@link System#nanoTime} clock. */
  OptionalLong firstCommitNanos() {
    long committed = firstCommitNanos;
    return committed < 0 ? OptionalLong.empty() : OptionalLong.of(committed);
  }

  /** When the child's caught-up line arrived, on the {@link System#nanoTime} clock. */
  OptionalLong caughtUpNanos() {
    long caughtUp = caughtUpNanos;
    return caughtUp < 0 ? OptionalLong.empty() : OptionalLong.of(caughtUp);
  }

  /** Fails, with the child's last output, if the child has exited by itself. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw failure("exited with code " + process.exitValue() + " before it was killed");
    }
  }

  /** Kills the child with SIGKILL ({@link Process#destroyForcibly} on Linux) and waits for it. */
  void kill() throws InterruptedException {
    requireAlive();
    process.destroyForcibly();
    int exit = process.waitFor();
    if (exit != KILLED_EXIT_CODE) {
      // It ended by itself just before the signal: that is a failure, not a kill.
      throw failure("exited with code " + exit + " before it was killed");
    }
  }

  /** Waits for a child started with {@code finish} to exit; fails unless it exits with 0. */
  void awaitSuccess(Duration bound) throws InterruptedException {
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw failure("did not finish within " + bound);
    }
    if (process.exitValue() != 0) {
      throw failure("exited with code " + process.exitValue());
    }
    joinDrainers();
  }

  /** An error naming the child and showing its last output. */
  IllegalStateException failure(String what) {
    joinDrainers();
    String lines;
    synchronized (tail) {
      lines = String.join("\n", tail);
    }
    return new IllegalStateException("crash child " + process.pid() + " " + what
        + "; its last output:\n" + lines);
  }

  private void onStdout(String line) {
    if (line.startsWith(CrashChild.READY + " ")) {
      readyMillis = Long.parseLong(line.substring(CrashChild.READY.length() + 1));
      readyNanos = System.nanoTime();
    } else if (line.startsWith(CrashChild.FIRST_COMMIT + " ")) {
      firstCommitMillis = Long.parseLong(line.substring(CrashChild.FIRST_COMMIT.length() + 1));
      firstCommitNanos = System.nanoTime();
    } else if (line.startsWith(CrashChild.CAUGHT_UP + " ")) {
      caughtUpNanos = System.nanoTime();
    } else {
      keep(line);
    }
  }

  private void keep(String line) {
    synchronized (tail) {
      tail.addLast(line);
      if (tail.size() > TAIL_LINES) {
        tail.removeFirst();
      }
    }
  }

  private Thread drain(InputStream in, Consumer<String> lines, String stream) {
    Thread drainer = new Thread(() -> {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lines.accept(line);
        }
      } catch (IOException e) {
        // The pipe closed under the reader: the child is gone, and so is the rest of its output.
      }
    }, "crash-child-" + process.pid() + "-" + stream);
    drainer.setDaemon(true);
    drainer.start();
    return drainer;
  }

  private void joinDrainers() {
    try {
      for (Thread drainer : drainers) {
        drainer.join(DRAIN_BOUND_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the child if it still runs; the harness calls this in a finally block, always. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(DRAIN_BOUND_MILLIS, TimeUnit.MILLISECONDS);
      process.getOutputStream().close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The child is gone; its stdin pipe needs no orderly close.
    }
    joinDrainers();
  }
}
