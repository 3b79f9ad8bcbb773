package io.sluice.internal.connector.kafka;

import io.sluice.api.BadRecordPolicy;
import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.connector.ValueFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Applies the bad-record policy to the Kafka records whose value holds no event, one read at a
 * time: fail naming the topic-partition and offset, drop and count, or send to the dead-letter
 * topic and count.
 */
final class MalformedValues {
  private final BadRecordPolicy policy;
  private final ValueFormat format;
  private final @Nullable DeadLetterTopic deadLetters;
  private long malformed;

  /** {@code deadLetters} is required by, and only used for, {@link BadRecordPolicy#DEAD_LETTER}. */
  MalformedValues(BadRecordPolicy policy, ValueFormat format,
      @Nullable DeadLetterTopic deadLetters) {
    if (policy == BadRecordPolicy.DEAD_LETTER && deadLetters == null) {
      throw new IllegalArgumentException("the deadLetter policy needs a dead-letter topic");
    }
    this.policy = policy;
    this.format = format;
    this.deadLetters = deadLetters;
  }

  /**
   * Handles {@code r}, read in {@code range} of its partition, whose value is not an event.
   *
   * @throws SluiceException of kind {@link ErrorKind#MALFORMED_RECORD} under {@link
   *     BadRecordPolicy#FAIL}
   */
  void handle(ConsumerRecord<byte[], byte[]> r, String error, DeadLetterTopic.Range range) {
    if (policy == BadRecordPolicy.FAIL) {
      throw new SluiceException(ErrorKind.MALFORMED_RECORD, "malformed value in Kafka record "
          + r.topic() + "-" + r.partition() + " offset " + r.offset() + " (valueFormat "
          + format + "): " + error);
    }
    malformed++;
    if (deadLetters != null) {
      deadLetters.send(r, error, range);
    }
  }

  /** Makes dead-lettering transactional, with state kept in the source's {@code directory}. */
  void useCheckpoint(Path directory) {
    if (deadLetters != null) {
      deadLetters.useCheckpoint(directory);
    }
  }

  void startRead() {
    malformed = 0;
  }

  /** The read of {@code ranges} succeeded: its dead letters are committed. */
  void finishRead(Map<TopicPartition, DeadLetterTopic.Range> ranges) {
    if (deadLetters != null) {
      deadLetters.commit(ranges);
    }
  }

  /** The read failed: its dead letters are aborted where they can be. */
  void abortRead() {
    if (deadLetters != null) {
      deadLetters.abort();
    }
  }

  /** The counts of the last read, as the file sources name them. */
  Map<String, String> metrics() {
    Map<String, String> metrics = new LinkedHashMap<>();
    metrics.put("numMalformedRows", Long.toString(malformed));
    if (deadLetters != null) {
      // A bad record of a range sent before is in the topic as well: all of them are counted.
      metrics.put("numDeadLetteredRows", Long.toString(malformed));
    }
    return metrics;
  }

  void close() {
    if (deadLetters != null) {
      deadLetters.close();
    }
  }
}
