package io.sluice.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Feeds the Kafka kind's input topic: each step sends 1 to 40 records, each to a partition picked
 * at random, keyed by an id no other record has and with an amount as value, and waits until the
 * broker has acknowledged them all; and remembers what the query must keep of them.
 */
final class KafkaInput implements CrashInput {
  private static final int MAX_RECORDS_PER_STEP = 40;
  private static final int MAX_AMOUNT = 1000;
  /** A bound that keeps a broken broker from hanging the run; it times nothing. */
  private static final long ACK_BOUND_SECONDS = 60;

  private final CrashTopics topics;
  private final Random random;
  private final KafkaProducer<String, String> producer;
  private final Map<List<Object>, Long> expected = new HashMap<>();
  private long rows;
  private long nextId = 1;

  KafkaInput(CrashTopics topics, Random random) {
    this.topics = topics;
    this.random = random;
    this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", topics.bootstrapServers()),
        new StringSerializer(), new StringSerializer());
  }

  /** Sends one more step of records: a "file" of the other kinds. */
  @Override
  public void writeFile() {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 1 + random.nextInt(MAX_RECORDS_PER_STEP); i > 0; i--) {
      long id = nextId++;
      long amount = random.nextInt(MAX_AMOUNT);
      sent.add(producer.send(new ProducerRecord<>(topics.input(),
          random.nextInt(CrashTopics.PARTITIONS), Long.toString(id), Long.toString(amount))));
      // What the kind's query keeps (see CrashKind#KAFKA): the amounts not dropped, with the id.
      if (amount % CrashKind.DROPPED_DIVISOR != 0) {
        expected.merge(List.of(id, amount), 1L, Long::sum);
      }
    }
    for (Future<RecordMetadata> record : sent) {
      acknowledged(record);
    }
    rows += sent.size();
  }

  /** The last step is like the others: the query has no state to close. */
  @Override
  public void writeLastFile() {
    writeFile();
  }

  private static void acknowledged(Future<RecordMetadata> record) {
    try {
      record.get(ACK_BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the broker did not take an input record", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending input", e);
    }
  }

  @Override
  public long rows() {
    return rows;
  }

  /** The kept records, {@code [id, amount]}, each once: no two records share an id. */
  @Override
  public Map<List<Object>, Long> expectedRows() {
    return Map.copyOf(expected);
  }

  @Override
  public Map<String, Totals> expectedTotals() {
    throw new IllegalStateException("the kafka kind writes no batch files");
  }

  @Override
  public void close() {
    producer.close();
  }
}
