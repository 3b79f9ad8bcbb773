package io.sluice.internal.exec;

import io.sluice.api.Clock;
import io.sluice.api.QueryableState;
import io.sluice.internal.state.StateStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A state variable of a running {@code transformWithState}, read by key from any thread as of
 * the last committed batch; a value past its TTL on the engine's clock is not shown.
 */
final class VariableView<K, V> implements QueryableState<K, V> {
  private final StateVariable variable;
  private final Class<K> keyType;
  private final GroupKeys lookupKeys;
  private final StateStore store;
  private final TransformEntries entries;
  private final Clock clock;

  VariableView(StateVariable variable, Class<K> keyType, StateStore store,
      TransformEntries entries, Clock clock) {
    this.variable = variable;
    this.keyType = StateValueCodec.boxed(keyType);
    this.lookupKeys = new GroupKeys(this.keyType, "a key looked up in state variable '"
        + variable.name + "' is");
    this.store = store;
    this.entries = entries;
    this.clock = clock;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Optional<V> get(K key) {
    byte[] k = TransformEntries.entryKey(variable.kind(), variable.name, lookupKeys.encode(key));
    byte[] entry = store.partition(entries.partitionOf(k)).getCommitted(k);
    return Optional.ofNullable(entry == null ? null : (V) variable.view(entry, clock.millis()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<K, V> all() {
    long now = clock.millis();
    Map<K, V> all = new LinkedHashMap<>();
    for (int p = 0; p < store.partitionCount(); p++) {
      store.partition(p).forEachCommitted((k, entry) -> {
        if (k[0] == variable.kind() && TransformEntries.nameOf(k).equals(variable.name)) {
          Object view = variable.view(entry, now);
          if (view != null) {
            all.put(keyType.cast(lookupKeys.decode(TransformEntries.groupKeyOf(k))), (V) view);
          }
        }
      });
    }
    return all;
  }
}
