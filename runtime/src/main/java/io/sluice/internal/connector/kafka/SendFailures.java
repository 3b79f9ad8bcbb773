package io.sluice.internal.connector.kafka;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The first failure among a producer's sends: one callback for all the records of a batch,
 * rather than one made per record, checked once the producer has flushed.
 */
final class SendFailures implements Callback {
  private final AtomicReference<@Nullable Exception> first = new AtomicReference<>();

  @Override
  public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception e) {
    if (e != null) {
      first.compareAndSet(null, e);
    }
  }

  /** The first failure since the last {@link #clear()}, or null. */
  @Nullable Exception first() {
    return first.get();
  }

  void clear() {
    first.set(null);
  }
}
