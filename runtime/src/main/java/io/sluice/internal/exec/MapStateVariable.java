package io.sluice.internal.exec;

import io.sluice.api.ErrorKind;
import io.sluice.api.MapState;
import io.sluice.api.SluiceException;
import io.sluice.api.TTLConfig;
import io.sluice.internal.exec.TransformEntries.Element;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MapState}: one entry per grouping key holding the user keys and values in the order
 * the keys were first written, each with its own expiry.
 */
final class MapStateVariable<K, V> extends StateVariable implements MapState<K, V> {
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final GroupKeys userKeys;
  private final StateValueCodec codec;

  MapStateVariable(String name, Class<K> keyType, Class<V> valueType, TTLConfig ttl,
      ProcessorHandle handle) {
    super(name, TransformEntries.MAP, ttl, handle);
    this.keyType = StateValueCodec.boxed(keyType);
    this.valueType = StateValueCodec.boxed(valueType);
    this.userKeys = new GroupKeys(this.keyType, "a key of map state variable '" + name + "' is");
    this.codec = handle.codec(this.valueType, name);
  }

  private List<Element> current(byte[] key) {
    byte[] entry = entries.read(key);
    return entry == null ? new ArrayList<>() : entries.live(TransformEntries.entries(entry));
  }

  private static int indexOf(List<Element> entries, byte[] userKey) {
    for (int i = 0; i < entries.size(); i++) {
      if (Arrays.equals(entries.get(i).key(), userKey)) {
        return i;
      }
    }
    return -1;
  }

  private byte[] userKey(K key) {
    if (key == null) {
      throw new SluiceException(ErrorKind.EXECUTION, "[ILLEGAL_STATE_STORE_VALUE.NULL_VALUE]"
          + " Illegal value provided to the State Store: cannot use a null user key in map"
          + " state variable " + name + ".");
    }
    return userKeys.encode(key);
  }

  private K userKeyOf(Element e) {
    return keyType.cast(userKeys.decode(e.key()));
  }

  private V valueOf(Element e) {
    return valueType.cast(codec.decode(e.value()));
  }

  @Override
  @Nullable Object view(byte[] entry, long now) {
    Map<K, V> out = new LinkedHashMap<>();
    for (Element e : TransformEntries.liveAt(TransformEntries.entries(entry), now)) {
      out.put(userKeyOf(e), valueOf(e));
    }
    return out.isEmpty() ? null : Collections.unmodifiableMap(out);
  }

  @Override
  List<Class<?>> types() {
    return List.of(keyType, valueType);
  }

  @Override
  public boolean exists() {
    return !current(key("mapState.exists")).isEmpty();
  }

  @Override
  public @Nullable V getValue(K key) {
    List<Element> all = current(key("mapState.getValue"));
    int at = indexOf(all, userKey(key));
    return at < 0 ? null : valueOf(all.get(at));
  }

  @Override
  public boolean containsKey(K key) {
    return indexOf(current(key("mapState.containsKey")), userKey(key)) >= 0;
  }

  @Override
  public void updateValue(K key, V value) {
    byte[] entryKey = key("mapState.updateValue");
    byte[] k = userKey(key);
    if (value == null) {
      throw nullValue();
    }
    List<Element> all = current(entryKey);
    Element e = new Element(newExpiry(), k, codec.encode(value));
    int at = indexOf(all, k);
    if (at < 0) {
      all.add(e);
    } else {
      all.set(at, e);
    }
    entries.write(entryKey, TransformEntries.encodeEntries(all));
  }

  @Override
  public Iterator<Map.Entry<K, V>> iterator() {
    return each("mapState.iterator",
        e -> new AbstractMap.SimpleImmutableEntry<>(userKeyOf(e), valueOf(e)));
  }

  @Override
  public Iterator<K> keys() {
    return each("mapState.keys", this::userKeyOf);
  }

  @Override
  public Iterator<V> values() {
    return each("mapState.values", this::valueOf);
  }

  private <T> Iterator<T> each(String operation, Function<Element, T> view) {
    List<T> out = new ArrayList<>();
    for (Element e : current(key(operation))) {
      out.add(view.apply(e));
    }
    return out.iterator();
  }

  @Override
  public void removeKey(K key) {
    byte[] entryKey = key("mapState.removeKey");
    List<Element> all = current(entryKey);
    int at = indexOf(all, userKey(key));
    if (at >= 0) {
      all.remove(at);
      entries.write(entryKey, all.isEmpty() ? null : TransformEntries.encodeEntries(all));
    }
  }

  @Override
  public void clear() {
    entries.write(key("mapState.clear"), null);
  }
}
