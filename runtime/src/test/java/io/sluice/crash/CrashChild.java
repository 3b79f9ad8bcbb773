package io.sluice.crash;

import io.sluice.api.DataStreamWriter;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.SourceProgress;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.Trigger;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The child JVM of the crash harness: runs a {@link CrashKind}'s query over the input folder until
 * it is killed or, started with {@code finish}, until it has processed every file there and exits.
 *
 * <p>It tells the parent, one line each on stdout, {@code ready <ms>} once the query has started
 * (checkpoint opened and recovered, stages compiled), {@code first-commit <ms>} once its first
 * batch has committed, and {@code caught-up <ms>} once a batch has read fewer files (records,
 * for Kafka) than a batch may (the backlog is done), all in milliseconds since this JVM started.
 *
 * <pre>{@code
 * java <JvmFlags.REQUIRED> -cp <test classpath> io.sluice.crash.CrashChild stateless /tmp/run run
 * java ... io.sluice.crash.CrashChild kafka /tmp/run run 127.0.0.1:9092 crash-input crash-output
 * }</pre>
 */
public final class CrashChild {
  static final String READY = "ready";
  static final String FIRST_COMMIT = "first-commit";
  static final String CAUGHT_UP = "caught-up";
  static final String RUN = "run";
  static final String FINISH = "finish";

  /** Small, so that a backlog takes several batches and a kill often lands between two. */
  private static final long MAX_FILES_PER_TRIGGER = 4;
  private static final long TRIGGER_MILLIS = 10;

  private CrashChild() {}

  /**
   * Arguments: the kind's label, the run's root folder, and {@code run} or {@code finish}; for
   * the Kafka kind, then the topics' {@link CrashTopics#args}.
   */
  public static void main(String[] args) throws InterruptedException {
    CrashKind kind = CrashKind.of(args[0]);
    CrashFolders folders = new CrashFolders(Path.of(args[1]));
    boolean finish = args[2].equals(FINISH);
    @Nullable CrashTopics topics = args.length > 3
        ? CrashTopics.of(List.of(args).subList(3, args.length)) : null;
    exitWithParent();
    try (Sluice engine = Sluice.create()) {
      StreamingQuery query = start(kind, new CrashStreams(engine, folders,
          MAX_FILES_PER_TRIGGER, topics), finish);
      report(READY);
      awaitFirstCommit(query);
      awaitCaughtUp(kind, query);
      query.awaitTermination();
    }
  }

  private static StreamingQuery start(CrashKind kind, CrashStreams streams, boolean finish) {
    CrashFolders folders = streams.folders();
    DataStreamWriter<Row> writer = kind.query(streams).writeStream()
        .outputMode(kind.mode())
        .option("checkpointLocation", folders.checkpoint().toString())
        .trigger(finish ? Trigger.availableNow() : Trigger.processingTime(TRIGGER_MILLIS));
    @Nullable CrashTopics topics = streams.topics();
    if (topics != null) {
      return topics.start(writer);
    }
    if (kind.writesBatchFiles()) {
      Path output = folders.output();
      return writer.foreachBatch((batch, id) -> BatchFiles.write(output, id, batch.collectAsList()))
          .start();
    }
    return writer.format("json").start(folders.output().toString());
  }

  private static void awaitFirstCommit(StreamingQuery query) throws InterruptedException {
    while (query.isActive() && query.lastProgress() == null) {
      Thread.sleep(1);
    }
    if (query.lastProgress() != null) {
      report(FIRST_COMMIT);
    }
  }

  /**
   * Waits for a batch that read fewer files than {@code maxFilesPerTrigger} allows from each
   * source (fewer records than {@code maxOffsetsPerTrigger}, from Kafka): the sources had no
   * more, so the query has caught up with the input that arrived while it started.
   */
  private static void awaitCaughtUp(CrashKind kind, StreamingQuery query)
      throws InterruptedException {
    while (query.isActive()) {
      StreamingQueryProgress last = query.lastProgress();
      if (last != null && last.sources().stream().allMatch(source -> kind == CrashKind.KAFKA
          ? source.numInputRows() < CrashTopics.MAX_RECORDS_PER_TRIGGER
          : filesRead(source) < MAX_FILES_PER_TRIGGER)) {
        report(CAUGHT_UP);
        return;
      }
      Thread.sleep(1);
    }
  }

  /** The file source's offsets count files; a source that has found none has none. */
  private static long filesRead(SourceProgress source) {
    return files(source.endOffset()) - files(source.startOffset());
  }

  private static long files(@Nullable String offset) {
    return offset == null ? 0 : Long.parseLong(offset);
  }

  /** Flushed at once: the parent times recovery by when these lines arrive. */
  private static void report(String event) {
    long sinceStart = System.currentTimeMillis()
        - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println(event + " " + sinceStart);
    System.out.flush();
  }

  /**
   * Ends this JVM when its stdin closes, which happens when the parent dies, so that a child never
   * outlives a harness that was itself killed (a parent that ends normally kills its child first).
   */
  private static void exitWithParent() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent writes nothing; only the end of the stream matters
        }
      } catch (IOException e) {
        // a broken pipe means the same as the end of the stream
      }
      Runtime.getRuntime().halt(3);
    }, "crash-child-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
