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
 *
 * <p>A Chronicle Map cannot grow past the entries it was created for, and creating one for
 * millions of entries costs time and memory up front. So a partition starts small and, when its
 * map is full, moves its entries to one four times larger, up to the configured maximum; only
 * past that is it an error.
 */
public final class StatePartition implements AutoCloseable {
  /** The entries a partition's first map is created for. */
  static final long INITIAL_KEYS = 1 << 16;

  private final String name;
  private final long maxKeys;
  private final int averageKeyBytes;
  private final int averageValueBytes;
  private long capacity;
  private ChronicleMap<byte[], byte[]> map;

  StatePartition(String name, long maxKeys, int averageKeyBytes, int averageValueBytes) {
    this.name = name;
    this.maxKeys = maxKeys;
    this.averageKeyBytes = averageKeyBytes;
    this.averageValueBytes = averageValueBytes;
    this.capacity = Math.min(INITIAL_KEYS, maxKeys);
    this.map = create(capacity);
  }

  private ChronicleMap<byte[], byte[]> create(long entries) {
    return ChronicleMapBuilder.of(byte[].class, byte[].class)
        .name(name)
        .entries(entries)
        .averageKeySize(averageKeyBytes)
        .averageValueSize(averageValueBytes)
        .create();
  }

  /** Moves every entry to a map four times larger; false if the maximum is reached already. */
  private boolean grow() {
    if (capacity >= maxKeys) {
      return false;
    }
    long larger = Math.min(capacity * 4, maxKeys);
    ChronicleMap<byte[], byte[]> bigger = create(larger);
    for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
      bigger.put(e.getKey(), e.getValue());
    }
    map.close();
    map = bigger;
    capacity = larger;
    return true;
  }

  public @Nullable byte[] get(byte[] key) {
    return map.get(key);
  }

  public void put(byte[] key, byte[] value) {
    while (true) {
      try {
        map.put(key, value);
        return;
      } catch (IllegalStateException e) {
        if (map.isClosed() || !grow()) {
          throw full(e);
        }
      } catch (IllegalArgumentException e) {
        throw tooLarge(key, value, e);
      }
    }
  }

  /** Inserts {@code key} if absent; true if it was absent. */
  public boolean putIfAbsent(byte[] key, byte[] value) {
    while (true) {
      try {
        return map.putIfAbsent(key, value) == null;
      } catch (IllegalStateException e) {
        if (map.isClosed() || !grow()) {
          throw full(e);
        }
      } catch (IllegalArgumentException e) {
        throw tooLarge(key, value, e);
      }
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
            + name + ", which is sized for entries of about "
            + (averageKeyBytes + averageValueBytes) + " bytes; "
            + "group by shorter keys or aggregate shorter values (e.g. min or max of long "
            + "strings)", e);
  }

  @Override
  public void close() {
    map.close();
  }
}
