package io.sluice.crash;

import io.sluice.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One crash run: a {@link CrashKind}'s query runs in a child JVM that is killed with SIGKILL at
 * random moments, and restarted, while new input keeps arriving; after the last kill the input
 * stops, a last child processes everything, and the committed output is compared with the
 * expected one. The Kafka kind's topics are on the broker this JVM shares ({@link
 * KafkaBroker#shared}), which outlives the children.
 *
 * <p>The seed fixes the kill delays and the input's content. It cannot fix where in a batch each
 * kill lands, which depends on the machine; a failure names the seed so that the run can be
 * repeated with the same sequence.
 *
 * <pre>{@code
 * CrashReport report = new CrashRun(CrashKind.STATELESS, 20, seed, folder).run();
 * }</pre>
 */
final class CrashRun {
  /** One input file every 50 ms: a steady stream while a child runs, a backlog while it starts. */
  private static final long WRITE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** Bounds that keep a broken child from hanging the run; they time nothing. */
  private static final Duration READY_BOUND = Duration.ofSeconds(60);
  private static final Duration FINISH_BOUND = Duration.ofMinutes(5);

  private final CrashKind kind;
  private final int plannedKills;
  private final CrashFolders folders;
  private final KillSchedule schedule;
  private final CrashInput input;
  private final CrashOutput output;
  /** What the child gets after the usual arguments: the Kafka kind's topics. */
  private final List<String> childArgs;
  private final RecoveryTimes recovery = new RecoveryTimes();
  private final KillPoints killPoints;
  private int kills;
  private int launches;
  /** How long the last child took to start its query; start-up kills fall within it. */
  private long startupNanos = TimeUnit.SECONDS.toNanos(1);
  private long nextWrite;

  CrashRun(CrashKind kind, int kills, long seed, Path root) {
    this.kind = kind;
    this.plannedKills = kills;
    this.folders = CrashFolders.createIn(root);
    Random seeds = new Random(seed);
    this.schedule = new KillSchedule(new Random(seeds.nextLong()), kind);
    Random inputRandom = new Random(seeds.nextLong());
    if (kind == CrashKind.KAFKA) {
      CrashTopics topics = CrashTopics.create(KafkaBroker.shared());
      this.input = new KafkaInput(topics, inputRandom);
      this.output = topics;
      this.childArgs = topics.args();
    } else {
      this.input = CrashInput.of(kind, folders, inputRandom);
      this.output = new FileOutput(kind, folders);
      this.childArgs = List.of();
    }
    this.killPoints = new KillPoints(output.transactional());
  }

  CrashReport run() throws InterruptedException {
    try (input) {
      return runWithInput();
    }
  }

  private CrashReport runWithInput() throws InterruptedException {
    input.writeFile();
    nextWrite = System.nanoTime() + WRITE_INTERVAL_NANOS;
    while (kills < plannedKills) {
      try (ChildProcess child = launch(false)) {
        runUntilKilled(child, schedule.next(startupNanos));
        record(child);
      }
    }
    // The last child always gets a file to read: a restarted query runs no batch without data
    // before one with data (as Spark), so a last child with nothing new would not run the batch
    // without data whose watermark closes the windows, and times out the sessions, that the killed
    // child left open. For processor timers the file also moves the watermark past every timer,
    // for the join past every impression.
    input.writeLastFile();
    try (ChildProcess last = launch(true)) {
      last.awaitSuccess(FINISH_BOUND);
      record(last);
    }
    return new CrashReport(kind, kills, launches - 1, input.rows(), expectedOutputs(),
        compare(), recovery, killPoints);
  }

  private ChildProcess launch(boolean finish) {
    launches++;
    return ChildProcess.launch(kind, folders, finish, childArgs);
  }

  /** Keeps writing input until the kill's moment comes, then kills the child. */
  private void runUntilKilled(ChildProcess child, KillSchedule.Kill kill)
      throws InterruptedException {
    while (true) {
      child.requireAlive();
      long now = System.nanoTime();
      OptionalLong killAt = kill.at(child);
      if (killAt.isPresent() && now >= killAt.getAsLong()) {
        child.kill();
        kills++;
        killPoints.record(folders, output);
        return;
      }
      if (killAt.isEmpty() && now - child.launchedNanos() > READY_BOUND.toNanos()) {
        throw child.failure("did not start its query within " + READY_BOUND);
      }
      if (now >= nextWrite) {
        input.writeFile();
        nextWrite = now + WRITE_INTERVAL_NANOS;
      }
      // Polled, not only awaited: a kill's moment can come nearer when the child reports.
      LockSupport.parkNanos(Math.min(nextWrite, Math.min(killAt.orElse(Long.MAX_VALUE),
          now + POLL_NANOS)) - now);
    }
  }

  private void record(ChildProcess child) {
    child.readyNanos().ifPresent(ready -> startupNanos = ready - child.launchedNanos());
    if (launches > 1) {
      recovery.add(child);
    }
  }

  /** How many rows the expected output has; for the aggregations, how many keys. */
  private long expectedOutputs() {
    if (kind.writesBatchFiles()) {
      return input.expectedTotals().size();
    }
    return input.expectedRows().values().stream().mapToLong(Long::longValue).sum();
  }

  private Discrepancy compare() {
    if (kind.writesBatchFiles()) {
      return Discrepancy.ofTotals(input.expectedTotals(), CommittedOutput.totals(kind, folders));
    }
    return Discrepancy.ofRows(input.expectedRows(), output.rows());
  }
}
