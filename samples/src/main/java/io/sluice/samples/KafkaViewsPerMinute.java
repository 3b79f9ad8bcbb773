package io.sluice.samples;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.window;

import io.sluice.api.ConsoleProgress;
import io.sluice.api.Dataset;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.api.StreamingQuery;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka in, Kafka out: views per page and minute, bots left out. Each record of the input topic
 * is a click, the user as key and the page as value, at the record's timestamp; each minute is
 * written once, when the watermark (ten seconds behind) passes its end, as a record keyed by the
 * page whose value is {@code "<minute start> <views>"}, exactly once for read_committed readers.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, checkpoint folder, and optionally
 * a client properties file (as Kafka's tools take with {@code --command-config}): its settings,
 * {@code security.protocol=SASL_SSL}, {@code sasl.jaas.config=...}, go to kafka-clients as they
 * are, for the consumer and the producer.
 */
public final class KafkaViewsPerMinute {
  private KafkaViewsPerMinute() {}

  /** The views per page and minute of the clicks in topic {@code clicks}. */
  static Dataset<Row> viewsPerMinute(Sluice engine, Map<String, String> kafka, String clicks) {
    return engine.readStream().format("kafka").options(kafka)
        .option("subscribe", clicks)
        .option("startingOffsets", "earliest")
        .load()
        .selectExpr("CAST(key AS STRING) AS user", "CAST(value AS STRING) AS page", "timestamp")
        .where("user <> 'bot'")
        .withWatermark("timestamp", "10 seconds")
        .groupBy(window(col("timestamp"), "1 minute"), col("page"))
        .count()
        .selectExpr("page AS key",
            "CAST(window.start AS STRING) || ' ' || CAST(count AS STRING) AS value");
  }

  /** Starts the query, writing to topic {@code views} with its checkpoint in {@code checkpoint}. */
  static StreamingQuery start(Sluice engine, Map<String, String> kafka, String clicks,
      String views, Path checkpoint) {
    return viewsPerMinute(engine, kafka, clicks).writeStream()
        .outputMode(OutputMode.APPEND)
        .format("kafka")
        .options(kafka)
        .option("topic", views)
        .option("deliveryGuarantee", "exactly-once")
        .option("checkpointLocation", checkpoint.toString())
        .queryName("viewsPerMinute")
        .start();
  }

  /** The source's and sink's {@code kafka.*} options: the servers and the client settings. */
  static Map<String, String> kafkaSettings(String bootstrapServers, Properties client) {
    Map<String, String> kafka = new HashMap<>();
    client.forEach((k, v) -> kafka.put("kafka." + k, v.toString()));
    kafka.put("kafka.bootstrap.servers", bootstrapServers);
    return kafka;
  }

  public static void main(String[] args) throws Exception {
    String servers = args.length > 0 ? args[0] : "localhost:9092";
    String clicks = args.length > 1 ? args[1] : "clicks";
    String views = args.length > 2 ? args[2] : "views-per-minute";
    Path checkpoint = Path.of(args.length > 3 ? args[3] : "checkpoints/views-per-minute");
    Properties client = new Properties();
    if (args.length > 4) {
      try (Reader in = Files.newBufferedReader(Path.of(args[4]))) {
        client.load(in);
      }
    }
    try (Sluice engine = Sluice.builder().listener(ConsoleProgress.create()).build()) {
      StreamingQuery query = start(engine, kafkaSettings(servers, client), clicks, views,
          checkpoint);
      System.out.println("reading " + clicks + " on " + servers + ", writing " + views
          + "; Ctrl-C stops");
      query.awaitTermination();
    }
  }
}
