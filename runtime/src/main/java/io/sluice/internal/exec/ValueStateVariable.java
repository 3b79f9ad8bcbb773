package io.sluice.internal.exec;

import io.sluice.api.TTLConfig;
import io.sluice.api.ValueState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A {@link ValueState}: one entry per key holding the value and when it expires. */
final class ValueStateVariable<S> extends StateVariable implements ValueState<S> {
  private final Class<S> type;
  private final StateValueCodec codec;

  ValueStateVariable(String name, Class<S> type, TTLConfig ttl, ProcessorHandle handle) {
    super(name, TransformEntries.VALUE, ttl, handle);
    this.type = StateValueCodec.boxed(type);
    this.codec = handle.codec(this.type, name);
  }

  private byte @Nullable [] live(String operation) {
    byte[] entry = entries.read(key(operation));
    if (entry == null || entries.expired(TransformEntries.due(entry))) {
      return null;
    }
    return entry;
  }

  @Override
  @Nullable Object view(byte[] entry, long now) {
    return TransformEntries.expiredAt(TransformEntries.due(entry), now) ? null
        : codec.decode(TransformEntries.valueOf(entry));
  }

  @Override
  List<Class<?>> types() {
    return List.of(type);
  }

  @Override
  public boolean exists() {
    return live("valueState.exists") != null;
  }

  @Override
  public @Nullable S get() {
    byte[] entry = live("valueState.get");
    return entry == null ? null : type.cast(codec.decode(TransformEntries.valueOf(entry)));
  }

  @Override
  public void update(S value) {
    byte[] key = key("valueState.update");
    if (value == null) {
      throw nullValue();
    }
    entries.write(key, TransformEntries.encodeValue(newExpiry(), codec.encode(value)));
  }

  @Override
  public void clear() {
    entries.write(key("valueState.clear"), null);
  }
}
