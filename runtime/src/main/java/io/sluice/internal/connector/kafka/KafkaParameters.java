package io.sluice.internal.connector.kafka;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.connector.Options;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings passed to kafka-clients: every option whose name starts with {@code kafka.}, the
 * prefix removed, as Spark passes them (security settings included); the ones Sluice must set
 * itself are refused with Spark's reasons.
 */
final class KafkaParameters {
  private static final String PREFIX = "kafka.";

  private KafkaParameters() {}

  /** The {@code kafka.*} options of {@code options}, without the prefix, for a {@code client}. */
  private static Map<String, Object> of(Options options, String client) {
    Map<String, Object> params = new HashMap<>();
    for (Map.Entry<String, String> e : options.asMap().entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
        params.put(e.getKey().substring(PREFIX.length()), e.getValue());
      }
    }
    if (!params.containsKey("bootstrap.servers")) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, "Option 'kafka.bootstrap.servers' must"
          + " be specified for configuring Kafka " + client);
    }
    return params;
  }

  /** The consumer settings of a source: the user's, checked, and those reading needs. */
  static Map<String, Object> forConsumer(Options options) {
    Map<String, Object> params = of(options, "consumer");
    refuse(params, "auto.offset.reset", "Kafka option 'auto.offset.reset' is not supported;"
        + " use the source option startingOffsets instead, to specify where to start: 'earliest',"
        + " 'latest' or offsets per partition as JSON");
    refuse(params, "key.deserializer", "Kafka option 'key.deserializer' is not supported as keys"
        + " are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame operations"
        + " to explicitly deserialize the keys.");
    refuse(params, "value.deserializer", "Kafka option 'value.deserializer' is not supported as"
        + " values are deserialized as byte arrays with ByteArrayDeserializer. Use DataFrame"
        + " operations to explicitly deserialize the values.");
    refuse(params, "enable.auto.commit", "Kafka option 'enable.auto.commit' is not supported");
    refuse(params, "interceptor.classes", "Kafka option 'interceptor.classes' is not supported");
    params.put("key.deserializer",
        "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("value.deserializer",
        "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    // Offsets live in the checkpoint, never in Kafka; an offset out of range is data loss, which
    // failOnDataLoss decides, not a silent reset.
    params.put("enable.auto.commit", "false");
    params.put("auto.offset.reset", "none");
    params.putIfAbsent("receive.buffer.bytes", "65536");
    // The source fetches only offsets it knows exist, so a fetch never needs to wait at the
    // broker for more. The consumer sends one ahead once a partition's wanted records arrive; at
    // the end of the log it waited the default 500 ms, and as the broker answers a connection's
    // requests in order, the next partition's fetch and the next batch's end offsets waited
    // behind it: about a second per batch of a two-partition topic.
    params.putIfAbsent("fetch.max.wait.ms", "10");
    return params;
  }

  /** The producer settings of a sink: the user's, checked, and byte-array serializers. */
  static Map<String, Object> forProducer(Options options) {
    Map<String, Object> params = of(options, "producer");
    refuse(params, "key.serializer", "Kafka option 'key.serializer' is not supported as keys are"
        + " serialized with ByteArraySerializer.");
    refuse(params, "value.serializer", "Kafka option 'value.serializer' is not supported as"
        + " values are serialized with ByteArraySerializer.");
    params.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    params.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    return params;
  }

  private static void refuse(Map<String, Object> params, String key, String message) {
    if (params.containsKey(key)) {
      throw new SluiceException(ErrorKind.INVALID_OPTION, message);
    }
  }
}
