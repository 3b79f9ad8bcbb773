package io.sluice.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A real single-node Kafka broker for tests: KRaft, broker and controller in one, running in a
 * JVM of its own on two loopback ports, with its data, properties and log in one folder.
 *
 * <p>The broker is a separate process so that tests can do to it what happens to real brokers:
 * {@link #stop} it gracefully, {@link #kill} it with SIGKILL, {@link #restart} it mid-run. A
 * restart keeps the folder, the data and the ports, so {@link #bootstrapServers()} stays valid
 * and clients created before it reconnect by themselves. Any process reaches it through that
 * address, child JVMs a test launches included.
 *
 * <p>Starting costs seconds, so test classes that only produce and consume share one broker per
 * JVM, {@link #shared()}, and keep apart by unique topic names; a test that stops, kills or
 * restarts the broker starts its own:
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.in(tempDir).start()) {
 *   broker.createTopic("clicks", 2);
 *   // produce to broker.bootstrapServers(), start the query under test...
 *   broker.kill();
 *   broker.restart();
 * }
 * }</pre>
 *
 * <p>No broker outlives its test JVM: a shutdown hook kills it, and should the test JVM die by
 * SIGKILL, the broker sees its standard input close and exits ({@link KafkaBrokerMain}). Its
 * stdout and stderr go to {@link #logFile()}; a start that fails quotes its errors and last
 * lines.
 */
public final class KafkaBroker implements AutoCloseable {
  /** Generous: the machine runs other builds beside ours; a broker that dies fails at once. */
  private static final Duration READY_BOUND = Duration.ofSeconds(90);
  private static final Duration STOP_BOUND = Duration.ofSeconds(60);
  private static final Duration ADMIN_CALL_BOUND = Duration.ofSeconds(30);
  private static final long POLL_PAUSE_MILLIS = 200;
  private static final int LOG_TAIL_LINES = 30;
  private static final int LOG_ERROR_LINES = 20;
  private static final String LOOPBACK = "127.0.0.1";

  private static @Nullable KafkaBroker shared;
  private static @Nullable RuntimeException sharedFailure;

  private final Path folder;
  private final int brokerPort;
  private final int controllerPort;
  private final String clusterId = Uuid.randomUuid().toString();
  private final boolean isShared;
  private final Thread exitHook;
  private volatile @Nullable Process process;
  /** Where the current launch's output starts in the log, which keeps earlier launches'. */
  private long launchLogOffset;
  private @Nullable Admin admin;

  private KafkaBroker(Path folder, boolean isShared) {
    this.folder = folder;
    this.isShared = isShared;
    this.brokerPort = freeLoopbackPort(-1);
    this.controllerPort = freeLoopbackPort(brokerPort);
    this.exitHook = new Thread(this::onJvmExit, "kafka-broker-exit-" + folder.getFileName());
    writeProperties();
    Runtime.getRuntime().addShutdownHook(exitHook);
  }

  /**
   * A broker, not yet started, whose data, properties and log live in {@code folder}; its two
   * loopback ports are chosen now and kept for its life. Close it before the folder goes.
   */
  public static KafkaBroker in(Path folder) {
    return new KafkaBroker(folder, false);
  }

  /**
   * The broker this JVM's tests share, started on first use and killed when the JVM exits. Use
   * unique topic names; stopping, killing, restarting or closing it is refused.
   */
  public static synchronized KafkaBroker shared() {
    if (sharedFailure != null) {
      // Each test class asking again would wait the whole start bound again; fail at once.
      throw new IllegalStateException("the shared Kafka broker failed to start earlier",
          sharedFailure);
    }
    if (shared == null) {
      try {
        shared = new KafkaBroker(Files.createTempDirectory("sluice-kafka-"), true).start();
      } catch (IOException e) {
        sharedFailure = new UncheckedIOException(e);
        throw sharedFailure;
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
    }
    return shared;
  }

  /**
   * Starts the broker, formatting its storage the first time, and returns once it answers an
   * admin client; does nothing if it runs already. Fails, with the end of the broker's log, if
   * it exits or does not answer within 90 seconds.
   */
  public synchronized KafkaBroker start() {
    if (isRunning()) {
      return this;
    }
    boolean format = !Files.exists(dataFolder().resolve("meta.properties"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // A small heap and the serial collector: the broker shares two cores with the build.
        // Only the quick JIT tier: tests move little data, and a restart's time is mostly warm-up
        // (restarts took 4-6 s with it, 7-9 s without, on a loaded machine).
        "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        // The test resources quiet the clients' reconnect warnings; in the broker's log they stay.
        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=info",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-cp", System.getProperty("java.class.path"),
        KafkaBrokerMain.class.getName(), propertiesFile().toString()));
    if (format) {
      command.add(clusterId);
    }
    Process started;
    try {
      launchLogOffset = Files.exists(logFile()) ? Files.size(logFile()) : 0;
      // The launcher keeps the stdin pipe (the default) open: its end tells the broker to exit.
      started = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch a Kafka broker JVM: " + command.get(0), e);
    }
    process = started;
    awaitReady(started);
    return this;
  }

  /** Stops the broker gracefully (SIGTERM, Kafka's controlled shutdown) and waits for it. */
  public synchronized void stop() {
    requireOwn("stop");
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroy();
    if (!waitFor(running, STOP_BOUND)) {
      running.destroyForcibly();
      waitFor(running, STOP_BOUND);
    }
    process = null;
  }

  /** Kills the broker with SIGKILL, as a crash would, and waits for it to be gone. */
  public synchronized void kill() {
    requireOwn("kill");
    killProcess();
  }

  /** Stops the broker if it runs and starts it again: same folder, data and bootstrap address. */
  public synchronized KafkaBroker restart() {
    requireOwn("restart");
    stop();
    return start();
  }

  public boolean isRunning() {
    Process running = process;
    return running != null && running.isAlive();
  }

  /** The process id of the broker's JVM; fails if it does not run. */
  public long pid() {
    Process running = process;
    if (running == null) {
      throw new IllegalStateException(this + " does not run");
    }
    return running.pid();
  }

  /** {@code host:port} of the broker's listener, the same across restarts. */
  public String bootstrapServers() {
    return LOOPBACK + ":" + brokerPort;
  }

  /** An admin client on this broker, owned by it: do not close it. */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
          // Reconnect soon after a restart rather than after the default 1 s backoff doubling.
          AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }
    return admin;
  }

  /** Creates a topic with one replica per partition and returns once the broker has it. */
  public void createTopic(String name, int partitions) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1);
    try {
      admin().createTopics(List.of(topic)).all()
          .get(ADMIN_CALL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + " on " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    }
  }

  public Path folder() {
    return folder;
  }

  /** The broker JVM's stdout and stderr, appended to across restarts. */
  public Path logFile() {
    return folder.resolve("broker.log");
  }

  /** Closes the admin client and kills the broker: its data is not needed any more. */
  @Override
  public synchronized void close() {
    requireOwn("close");
    closeAdmin();
    killProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException e) {
      // The JVM is exiting already; the hook will find the broker gone.
    }
  }

  @Override
  public String toString() {
    Process running = process;
    return "Kafka broker " + bootstrapServers() + " in " + folder
        + (running == null ? " (not running)" : " (pid " + running.pid() + ")");
  }

  private void awaitReady(Process started) {
    long deadline = System.nanoTime() + READY_BOUND.toNanos();
    DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs(2_000);
    @Nullable Throwable lastError = null;
    while (true) {
      if (!started.isAlive()) {
        throw notReady("its JVM exited with code " + started.exitValue() + " while starting");
      }
      try {
        // Until the port accepts, an admin client would log a warning on every attempt.
        if (accepts() && !admin().describeCluster(options).nodes().get().isEmpty()) {
          return;
        }
      } catch (ExecutionException e) {
        lastError = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw notReady("the test thread was interrupted while waiting");
      }
      if (System.nanoTime() - deadline > 0) {
        throw notReady("it did not answer within " + READY_BOUND.toSeconds() + " s (last error: "
            + lastError + ")");
      }
      pause();
    }
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, brokerPort), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The failure of a start, with this launch's errors from the log and its last lines: a broker
   * that fails logs the cause, then a long shutdown that would push the cause out of a tail. A
   * broker still starting is killed, so that a failed start leaves no process behind.
   */
  private IllegalStateException notReady(String why) {
    String broker = toString();
    killProcess();
    List<String> lines = launchLog();
    List<String> errors = lines.stream()
        .filter(line -> line.contains(" ERROR ") || line.startsWith("Caused by:"))
        .limit(LOG_ERROR_LINES)
        .toList();
    List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
    return new IllegalStateException(broker + " did not start: " + why + "; its errors in "
        + logFile() + ":\n" + String.join("\n", errors) + "\nand its last lines:\n"
        + String.join("\n", tail));
  }

  private List<String> launchLog() {
    try (SeekableByteChannel log = Files.newByteChannel(logFile())) {
      log.position(launchLogOffset);
      String text = new String(Channels.newInputStream(log).readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().toList();
    } catch (IOException e) {
      return List.of("(cannot read it: " + e + ")");
    }
  }

  private void requireOwn(String what) {
    if (isShared) {
      throw new UnsupportedOperationException("cannot " + what + " the shared Kafka broker: other"
          + " tests use it; start one of your own with KafkaBroker.in(folder).start()");
    }
  }

  private void killProcess() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
      waitFor(running, STOP_BOUND);
      process = null;
    }
  }

  private void closeAdmin() {
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
  }

  /** Not synchronized: a test thread may hold the lock while the JVM exits around it. */
  private void onJvmExit() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
      waitFor(running, Duration.ofSeconds(10));
    }
    if (isShared) {
      deleteFolder();
    }
  }

  private void deleteFolder() {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A temporary folder left behind does no harm; the JVM is exiting.
    }
  }

  private static boolean waitFor(Process running, Duration bound) {
    try {
      return running.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path dataFolder() {
    return folder.resolve("data");
  }

  private Path propertiesFile() {
    return folder.resolve("server.properties");
  }

  private void writeProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", "1");
    properties.put("controller.quorum.bootstrap.servers", LOOPBACK + ":" + controllerPort);
    properties.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort
        + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
    properties.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
    properties.put("controller.listener.names", "CONTROLLER");
    properties.put("inter.broker.listener.name", "PLAINTEXT");
    properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    properties.put("log.dirs", dataFolder().toString());
    properties.put("num.partitions", "1");
    // One node: Kafka's internal topics default to three replicas, which one node cannot hold, and
    // then no group coordinator and no transaction coordinator ever comes up.
    properties.put("offsets.topic.replication.factor", "1");
    properties.put("offsets.topic.num.partitions", "1");
    properties.put("transaction.state.log.replication.factor", "1");
    properties.put("transaction.state.log.min.isr", "1");
    properties.put("transaction.state.log.num.partitions", "1");
    properties.put("share.coordinator.state.topic.replication.factor", "1");
    properties.put("share.coordinator.state.topic.min.isr", "1");
    // A new consumer group would otherwise wait 3 s for more members before its first assignment.
    properties.put("group.initial.rebalance.delay.ms", "0");
    // A broker restarted after a kill re-registers only once the controller, restarted with it,
    // lets the old registration's session lapse: 9 s by default, for every kill in a test.
    properties.put("broker.heartbeat.interval.ms", "1000");
    properties.put("broker.session.timeout.ms", "4000");
    StringBuilder text = new StringBuilder();
    properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    try {
      Files.createDirectories(folder);
      Files.writeString(propertiesFile(), text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + propertiesFile(), e);
    }
  }

  /** A port free now; the system could hand out the one just closed again, hence {@code taken}. */
  private static int freeLoopbackPort(int taken) {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
        if (socket.getLocalPort() != taken) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free loopback port", e);
      }
    }
  }
}
