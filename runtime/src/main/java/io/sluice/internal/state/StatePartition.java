package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.util.Map;
import java.util.function.BiConsumer;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.jspecify.annotations.Nullable;

/**
 * One partition of an operator's state: encoded keys to encoded values in an off-heap Chronicle
 * Map, so that heap use does not grow with the number of keys.
 */
public final class StatePartition implements AutoCloseable {
  private final String name;
  private final long maxKeys;
  private final int averageEntryBytes;
  private final ChronicleMap<byte[], byte[]> map;

  StatePartition(String name, long maxKeys, int averageKeyBytes, int averageValueBytes) {
    this.name = name;
    this.maxKeys = maxKeys;
    this.averageEntryBytes = averageKeyBytes + averageValueBytes;
    this.map = ChronicleMapBuilder.of(byte[].class, byte[].class)
        .name(name)
        .entries(maxKeys)
        .averageKeySize(averageKeyBytes)
        .averageValueSize(averageValueBytes)
        .create();
  }

  public @Nullable byte[] get(byte[] key) {
    return map.get(key);
  }

  public void put(byte[] key, byte[] value) {
    try {
      map.put(key, value);
    } catch (IllegalStateException e) {
      throw full(e);
    } catch (IllegalArgumentException e) {
      throw tooLarge(key, value, e);
    }
  }

  /** Inserts {@code key} if absent; true if it was absent. */
  public boolean putIfAbsent(byte[] key, byte[] value) {
    try {
      return map.putIfAbsent(key, value) == null;
    } catch (IllegalStateException e) {
      throw full(e);
    } catch (IllegalArgumentException e) {
      throw tooLarge(key, value, e);
    }
  }

  public void remove(byte[] key) {
    map.remove(key);
  }

  public long size() {
    return map.longSize();
  }

  /** Off-heap bytes in use, as Chronicle reports them. */
  public long offHeapBytes() {
    return map.offHeapMemoryUsed();
  }

  public void forEach(BiConsumer<byte[], byte[]> action) {
    for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
      action.accept(e.getKey(), e.getValue());
    }
  }

  private SluiceException full(IllegalStateException e) {
    return new SluiceException(ErrorKind.STATE_FULL,
        "state partition " + name + " is full at " + map.longSize() + " keys (configured for "
            + maxKeys + "); raise Sluice.builder().maxKeysPerStatePartition(...) or "
            + ".statePartitions(...)", e);
  }

  /** Chronicle refuses an entry many times its configured average size with an opaque error. */
  private SluiceException tooLarge(byte[] key, byte[] value, IllegalArgumentException e) {
    return new SluiceException(ErrorKind.STATE_FULL,
        "a state entry of " + (key.length + value.length) + " bytes does not fit state partition "
            + name + ", which is sized for entries of about " + averageEntryBytes + " bytes; "
            + "group by shorter keys or aggregate shorter values (e.g. min or max of long "
            + "strings)", e);
  }

  @Override
  public void close() {
    map.close();
  }
}
