package io.sluice.internal.exec;

import io.sluice.api.ListState;
import io.sluice.api.TTLConfig;
import io.sluice.internal.exec.TransformEntries.Element;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A {@link ListState}: one entry per key holding the elements, each with its own expiry. */
final class ListStateVariable<S> extends StateVariable implements ListState<S> {
  private final Class<S> type;
  private final StateValueCodec codec;

  ListStateVariable(String name, Class<S> type, TTLConfig ttl, ProcessorHandle handle) {
    super(name, TransformEntries.LIST, ttl, handle);
    this.type = StateValueCodec.boxed(type);
    this.codec = handle.codec(this.type, name);
  }

  private List<Element> current(byte[] key) {
    byte[] entry = entries.read(key);
    return entry == null ? new ArrayList<>() : entries.live(TransformEntries.elements(entry));
  }

  @Override
  @Nullable Object view(byte[] entry, long now) {
    List<S> out = new ArrayList<>();
    for (Element e : TransformEntries.liveAt(TransformEntries.elements(entry), now)) {
      out.add(type.cast(codec.decode(e.value())));
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  @Override
  List<Class<?>> types() {
    return List.of(type);
  }

  @Override
  public boolean exists() {
    return !current(key("listState.exists")).isEmpty();
  }

  @Override
  public Iterator<S> get() {
    List<S> out = new ArrayList<>();
    for (Element e : current(key("listState.get"))) {
      out.add(type.cast(codec.decode(e.value())));
    }
    return out.iterator();
  }

  private List<Element> encode(List<S> values) {
    if (values == null) {
      throw nullValue();
    }
    if (values.isEmpty()) {
      throw emptyList();
    }
    long expiry = newExpiry();
    List<Element> out = new ArrayList<>();
    for (S v : values) {
      if (v == null) {
        throw nullValue();
      }
      out.add(new Element(expiry, null, codec.encode(v)));
    }
    return out;
  }

  @Override
  public void put(List<S> values) {
    byte[] key = key("listState.put");
    entries.write(key, TransformEntries.encodeElements(encode(values)));
  }

  @Override
  public void appendValue(S value) {
    byte[] key = key("listState.appendValue");
    if (value == null) {
      throw nullValue();
    }
    append(key, List.of(value));
  }

  @Override
  public void appendList(List<S> values) {
    append(key("listState.appendList"), values);
  }

  private void append(byte[] key, List<S> values) {
    List<Element> added = encode(values);
    List<Element> all = current(key);
    all.addAll(added);
    entries.write(key, TransformEntries.encodeElements(all));
  }

  @Override
  public void clear() {
    entries.write(key("listState.clear"), null);
  }
}
