package io.sluice.internal.connector.kafka;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * What the connector's clients share: waiting for an admin client's answer (failing with
 * Kafka's own exception, not a wrapper), the committed offsets of a transactional writer's
 * group, and the error of a writer another one fenced.
 */
final class KafkaCalls {
  private KafkaCalls() {}

  static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException k ? k
          : new KafkaException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while waiting for the broker", e);
    }
  }

  /** An admin client with the settings of a consumer or producer that an admin client takes. */
  static Admin admin(Map<String, Object> clientParams) {
    Map<String, Object> params = new HashMap<>(clientParams);
    params.keySet().retainAll(AdminClientConfig.configNames());
    return Admin.create(params);
  }

  /**
   * The offsets {@code group} has committed, stable: those of a transaction that
   * initTransactions has just completed, not older ones.
   */
  static Map<TopicPartition, OffsetAndMetadata> committedOffsets(
      Map<String, Object> clientParams, String group) {
    try (Admin admin = admin(clientParams)) {
      return get(admin.listConsumerGroupOffsets(group,
          new ListConsumerGroupOffsetsOptions().requireStable(true))
          .partitionsToOffsetAndMetadata());
    }
  }

  /** The error of {@code owner}, whose transactions another writer of the same id fenced. */
  static SluiceException fenced(String owner, String transactionalId, Exception cause) {
    return new SluiceException(ErrorKind.CONNECTOR, owner + ": another producer with"
        + " transactional.id " + transactionalId + " started (another instance of this query"
        + " with the same checkpoint?); this one stops", cause);
  }
}
