package io.sluice.kafka;

import static io.sluice.api.Functions.col;
import static io.sluice.api.Functions.expr;
import static io.sluice.api.Functions.window;
import static io.sluice.kafka.KafkaTopics.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DataReader;
import io.sluice.api.Dataset;
import io.sluice.api.DataStreamWriter;
import io.sluice.api.GroupState;
import io.sluice.api.OutputMode;
import io.sluice.api.Row;
import io.sluice.api.Sluice;
import io.sluice.fixtures.Count;
import io.sluice.fixtures.KeyCount;
import io.sluice.fixtures.Message;
import io.sluice.testkit.QueryTester;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A query that reads a share of a topic's partitions ({@code instance=i/n}) keeps state only by
 * the record key, which Kafka's partitioner keeps in one partition and so in one instance;
 * anything else is refused before the query starts, saying which key, why, and what to do.
 */
class KafkaCoPartitioningTest {
  private final Sluice engine = Sluice.builder().statePartitions(1).build();

  @AfterEach
  void close() {
    engine.close();
  }

  /** All of {@code topic}, from the start, on {@code servers}. */
  private DataReader kafka(String servers, String topic) {
    return engine.readStream().format("kafka")
        .option("kafka.bootstrap.servers", servers)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest");
  }

  /** Instance 0 of 2 of {@code topic} on {@code servers}. */
  private Dataset<Row> share(String servers, String topic) {
    return kafka(servers, topic).option("instance", "0/2").load();
  }

  private static String servers() {
    return KafkaTopics.broker().bootstrapServers();
  }

  private static DataStreamWriter<Row> update(Dataset<Row> query) {
    return query.writeStream().outputMode(OutputMode.UPDATE);
  }

  private static List<List<Object>> rows(List<Row> rows) {
    return rows.stream().map(r -> java.util.Arrays.asList(r.values())).toList();
  }

  /** Queries the rule refuses; none of them reaches the broker. */
  @Nested
  class Refused {
    /** Nothing listens there: the query is refused before it connects. */
    private static final String NO_BROKER = "localhost:1";

    private Dataset<Row> share(String topic) {
      return KafkaCoPartitioningTest.this.share(NO_BROKER, topic);
    }

    @Test
    void anEventsOwnKeyFieldIsNotTheRecordKey() {
      // Tick has a field named key: the record key is then the column kafka_key.
      Dataset<io.sluice.fixtures.Tick> ticks = kafka(NO_BROKER, "ticks").option("instance", "0/2")
          .option("valueFormat", "json").load(io.sluice.fixtures.Tick.class);
      assertThatThrownBy(() -> QueryTester.of(update(ticks.groupBy("key").count())))
          .hasMessageContaining("NotCoPartitioned").hasMessageContaining("groupBy(key)");
      QueryTester.of(update(ticks.groupBy("kafka_key").count())).close();
    }

    @Test
    void aCountByAColumnOtherThanTheKeyNamingThatColumnTheShareAndWhatToDo() {
      Dataset<Row> byPage = share("clicks").selectExpr("CAST(value AS STRING) AS page")
          .groupBy("page").count();
      assertThatThrownBy(() -> QueryTester.of(update(byPage))).hasMessage(
          "[Sluice/NotCoPartitioned] groupBy(page) keeps state by page, not by the record key,"
              + " but this query reads only instance 0/2's share of its input"
              + " (KafkaV2[Subscribe[clicks], instance 0/2]; partition p of each topic goes to"
              + " instance p mod 2): rows with equal page can sit in partitions of different"
              + " instances, and each instance would keep its own state for them and write its"
              + " own partial result. Key it by the record key (key, or CAST(key AS STRING)),"
              + " with a window beside it if you like; or first write the input to a topic"
              + " keyed by page, and read that topic");
    }

    @Test
    void aWindowDoesNotMakeUpForTheKey() {
      Dataset<Row> perMinute = share("clicks")
          .selectExpr("CAST(value AS STRING) AS page", "timestamp")
          .groupBy(window(col("timestamp"), "1 minute"), col("page")).count();
      assertThatThrownBy(() -> QueryTester.of(update(perMinute))).hasMessageContaining(
          "groupBy(window, page) keeps state by page, not by the record key");
    }

    @Test
    void aValueComputedFromTheKeyThatTwoKeysCanShare() {
      // "Ann" and "ann" are different keys, maybe in partitions of different instances.
      Dataset<Row> byLowerKey = share("clicks")
          .groupBy(expr("lower(CAST(key AS STRING))").as("user")).count();
      assertThatThrownBy(() -> QueryTester.of(update(byLowerKey))).hasMessageContaining(
          "groupBy(user) keeps state by user, not by the record key");
    }

    @Test
    void aGlobalAggregation() {
      assertThatThrownBy(() -> QueryTester.of(update(share("clicks").groupBy().count())))
          .hasMessageContaining("[Sluice/NotCoPartitioned] a global aggregation (no grouping"
              + " key) cannot run on a share of the input")
          .hasMessageContaining("each instance would aggregate its own rows and write its own"
              + " total");
    }

    @Test
    void deduplicationByTheValue() {
      Dataset<Row> distinct = share("clicks").dropDuplicates("value");
      assertThatThrownBy(() -> QueryTester.of(distinct.writeStream()
          .outputMode(OutputMode.APPEND))).hasMessageContaining(
              "dropDuplicates(value) keeps state by value, not by the record key");
    }

    @Test
    void stateKeyedByAFunctionSluiceCannotLookInto() {
      Dataset<KeyCount> counts = share("clicks").as(Message.class)
          .groupByKey(m -> new String(m.key(), StandardCharsets.UTF_8), String.class)
          .mapGroupsWithState((String key, Iterator<Message> values, GroupState<Count> state) ->
              new KeyCount(key, 0), Count.class, KeyCount.class);
      assertThatThrownBy(() -> QueryTester.of(counts.writeStream()
          .outputMode(OutputMode.UPDATE))).hasMessageContaining(
              "mapGroupsWithState keeps state by the key that groupByKey's function returns,"
                  + " which Sluice cannot trace to the record key");
    }

    @Test
    void aStreamStreamJoinOnValues() {
      Dataset<Row> joined = share("clicks").alias("c")
          .join(share("views").alias("v"), expr("c.value = v.value"));
      assertThatThrownBy(() -> QueryTester.of(joined.writeStream()
          .outputMode(OutputMode.APPEND))).hasMessageContaining(
              "the stream-stream join on value = value keeps state by value, not by the record"
                  + " key");
    }

    @Test
    void anInputReadWholeBesideAShare() {
      Dataset<Row> both = share("clicks").union(kafka(NO_BROKER, "views").load());
      assertThatThrownBy(() -> QueryTester.of(both.writeStream()
          .outputMode(OutputMode.APPEND))).hasMessageContaining(
              "[Sluice/NotCoPartitioned] the inputs of a query must all read the same share,"
                  + " but KafkaV2[Subscribe[clicks], instance 0/2] reads instance 0/2's share"
                  + " and KafkaV2[Subscribe[views]] reads all of its input");
    }
  }

  /** Queries keyed by the record key, run against the broker. */
  @Nested
  class Accepted {
    private Dataset<Row> share(String topic) {
      return KafkaCoPartitioningTest.this.share(servers(), topic);
    }

    @Test
    void aWindowedCountByTheRecordKeyCountsTheInstancesPartitions() {
      String topic = KafkaTopics.create("by-key", 2);
      send(topic, 0, "ann", "home", "ann", "cart");
      send(topic, 1, "bob", "home");
      Dataset<Row> perUserAndMinute = share(topic)
          .groupBy(window(col("timestamp"), "1 minute"), expr("CAST(key AS STRING)").as("user"))
          .count().selectExpr("user", "count");
      try (QueryTester t = QueryTester.of(update(perUserAndMinute))) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("ann", 2L));
      }
    }

    @Test
    void deduplicationByTheKeyAndTheValue() {
      String topic = KafkaTopics.create("dedup-key", 2);
      send(topic, 0, "ann", "home", "ann", "home", "ann", "cart");
      Dataset<Row> distinct = share(topic).dropDuplicates("key", "value")
          .selectExpr("CAST(value AS STRING) AS page");
      try (QueryTester t = QueryTester.of(distinct.writeStream()
          .outputMode(OutputMode.APPEND))) {
        assertThat(rows(t.runBatch())).containsExactlyInAnyOrder(List.of("home"),
            List.of("cart"));
      }
    }

    @Test
    void aStreamStreamJoinOnTheRecordKeysOfBothInputs() {
      String clicks = KafkaTopics.create("join-clicks", 2);
      String users = KafkaTopics.create("join-users", 2);
      send(clicks, 0, "ann", "home");
      send(users, 0, "ann", "Ann A.");
      send(clicks, 1, "bob", "cart");
      send(users, 1, "bob", "Bob B.");
      Dataset<Row> joined = share(clicks).selectExpr("CAST(key AS STRING) AS user",
              "CAST(value AS STRING) AS page")
          .join(share(users).selectExpr("CAST(key AS STRING) AS name_key",
              "CAST(value AS STRING) AS name"), expr("user = name_key"))
          .selectExpr("page", "name");
      try (QueryTester t = QueryTester.of(joined.writeStream()
          .outputMode(OutputMode.APPEND))) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("home", "Ann A."));
      }
    }

    @Test
    void aQueryThatReadsEveryPartitionMayKeepStateByAnything() {
      String topic = KafkaTopics.create("whole", 2);
      send(topic, 0, "ann", "home");
      send(topic, 1, "bob", "home");
      Dataset<Row> byPage = kafka(servers(), topic).load()
          .selectExpr("CAST(value AS STRING) AS page")
          .groupBy("page").count();
      try (QueryTester t = QueryTester.of(update(byPage))) {
        assertThat(rows(t.runBatch())).containsExactly(List.of("home", 2L));
      }
    }
  }
}
