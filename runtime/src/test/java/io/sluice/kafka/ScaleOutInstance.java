package io.sluice.kafka;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.window;

import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.SourceProgress;
import io.sluice.api.StreamingQuery;
import io.sluice.api.StreamingQueryProgress;
import io.sluice.api.Trigger;

/**
 * The main class of one instance of a scaled-out query, in a JVM of its own: clicks per user and
 * minute, read from its share of the input topic, written exactly once to the output topic, with
 * its own checkpoint. It reads what is there ({@link Trigger#availableNow}), prints what its
 * source read, and exits.
 *
 * <p>Arguments: {@code bootstrapServers inputTopic outputTopic checkpointFolder instance}, the
 * instance as the source option takes it ({@code 0/2}). It prints, for its last batch, {@value
 * #SOURCE} and the source's description, then {@value #END} and the offsets it read to. It exits
 * when its launcher's JVM is gone (standard input closes), so that it outlives no test.
 */
public final class ScaleOutInstance {
  static final String SOURCE = "SOURCE";
  static final String END = "END";

  private ScaleOutInstance() {}

  /** Clicks per user and minute: the key is the record key, so instances can split them. */
  static Dataset<Row> clicksPerUserAndMinute(Sluice engine, String servers, String input,
      String instance) {
    return engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", servers)
        .option("subscribe", input)
        .option("startingOffsets", "earliest")
        .option("instance", instance)
        .load()
        .groupBy(window(col("timestamp"), "1 minute"), expr("CAST(key AS STRING)").as("user"))
        .count()
        .selectExpr("user AS key",
            "CAST(window.start AS STRING) || ' ' || CAST(count AS STRING) AS value");
  }

  public static void main(String[] args) throws InterruptedException {
    exitWhenLauncherIsGone();
    String servers = args[0];
    try (Sluice engine = Sluice.builder().statePartitions(1).build()) {
      StreamingQuery query = clicksPerUserAndMinute(engine, servers, args[1], args[4])
          .writeStream()
          .outputMode(OutputMode.UPDATE)
          .trigger(Trigger.availableNow())
          .format("kafka")
          .option("kafka.bootstrap.servers", servers)
          .option("topic", args[2])
          .option("deliveryGuarantee", "exactly-once")
          .option("checkpointLocation", args[3])
          .queryName("clicksPerUserAndMinute")
          .start();
      query.awaitTermination();
      StreamingQueryProgress last = query.lastProgress();
      SourceProgress source = last.sources().get(0);
      System.out.println(SOURCE + " " + source.description());
      System.out.println(END + " " + source.endOffset());
    }
  }

  private static void exitWhenLauncherIsGone() {
    Thread watcher = new Thread(() -> {
      KafkaBrokerMain.awaitEndOf(System.in);
      Runtime.getRuntime().halt(1);
    }, "launcher-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
