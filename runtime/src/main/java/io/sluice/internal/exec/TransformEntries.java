package io.sluice.internal.exec;

import io.sluice.internal.batch.KeyWriter;
import io.sluice.internal.state.StateStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The state-store entries of {@code transformWithState} as one batch sees them: the committed
 * entries with the batch's writes over them, and the layout of an entry.
 *
 * <p>An entry's key is its kind ({@link #VALUE}, {@link #LIST}, {@link #MAP} or {@link
 * #TIMERS}), the variable name (empty for timers) and the grouping key. Its value starts with the
 * time it is next due: its earliest timer, or the earliest expiry of its values under a TTL,
 * {@link #NEVER} for never. Writes stay in the overlay until the batch applies their net change
 * as its version, so a batch run again sees the state as it was before.
 */
final class TransformEntries {
  static final byte VALUE = 1;
  static final byte LIST = 2;
  static final byte MAP = 3;
  static final byte TIMERS = 4;
  static final long NEVER = Long.MAX_VALUE;
  /** The overlay's mark of a removed entry. */
  static final byte[] TOMBSTONE = new byte[0];

  private final StateStore store;
  /** The batch's writes by entry key; {@link #TOMBSTONE} for a removal. */
  private final Map<ByteBuffer, byte[]> overlay = new LinkedHashMap<>();
  /** The batch's processing time, against which expiries are judged. */
  private long processingTime;

  TransformEntries(StateStore store) {
    this.store = store;
  }

  void beginBatch() {
    overlay.clear();
  }

  StateStore store() {
    return store;
  }

  long processingTime() {
    return processingTime;
  }

  void processingTime(long now) {
    processingTime = now;
  }

  Map<ByteBuffer, byte[]> overlay() {
    return overlay;
  }

  boolean written(byte[] key) {
    return overlay.containsKey(ByteBuffer.wrap(key));
  }

  byte @Nullable [] read(byte[] key) {
    byte[] v = overlay.get(ByteBuffer.wrap(key));
    if (v != null) {
      return v == TOMBSTONE ? null : v;
    }
    return store.partition(partitionOf(key)).get(key);
  }

  void write(byte[] key, byte @Nullable [] value) {
    overlay.put(ByteBuffer.wrap(key), value == null ? TOMBSTONE : value);
  }

  int partitionOf(byte[] key) {
    return store.partitionOf(KeyWriter.hash(key, 0, key.length));
  }

  boolean expired(long expiry) {
    return expiredAt(expiry, processingTime);
  }

  /** Whether a value that expires at {@code expiry} is gone at {@code now}. */
  static boolean expiredAt(long expiry, long now) {
    return expiry != NEVER && now >= expiry;
  }

  List<Element> live(List<Element> all) {
    return liveAt(all, processingTime);
  }

  static List<Element> liveAt(List<Element> all, long now) {
    List<Element> live = new ArrayList<>();
    for (Element e : all) {
      if (!expiredAt(e.expiry, now)) {
        live.add(e);
      }
    }
    return live;
  }

  // ---- keys ----

  static byte[] entryKey(byte kind, String name, byte[] groupKey) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(3 + n.length + groupKey.length);
    b.put(kind).putShort((short) n.length).put(n).put(groupKey);
    return b.array();
  }

  static String nameOf(byte[] key) {
    return new String(key, 3, nameLength(key), StandardCharsets.UTF_8);
  }

  static byte[] groupKeyOf(byte[] key) {
    return Arrays.copyOfRange(key, 3 + nameLength(key), key.length);
  }

  private static int nameLength(byte[] key) {
    return ((key[1] & 0xff) << 8) | (key[2] & 0xff);
  }

  static long due(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }

  // ---- values ----

  /** A list element or map entry with its expiry; {@code key} is null in a list. */
  record Element(long expiry, byte @Nullable [] key, byte[] value) {}

  static byte[] encodeValue(long expiry, byte[] value) {
    return ByteBuffer.allocate(8 + value.length).putLong(expiry).put(value).array();
  }

  static byte[] valueOf(byte[] entry) {
    return Arrays.copyOfRange(entry, 8, entry.length);
  }

  static List<Element> elements(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry, 8, entry.length - 8);
    int n = in.getInt();
    List<Element> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long expiry = in.getLong();
      byte[] v = new byte[in.getInt()];
      in.get(v);
      out.add(new Element(expiry, null, v));
    }
    return out;
  }

  static byte[] encodeElements(List<Element> elements) {
    int size = 12;
    long due = NEVER;
    for (Element e : elements) {
      size += 12 + e.value.length;
      due = Math.min(due, e.expiry);
    }
    ByteBuffer b = ByteBuffer.allocate(size).putLong(due).putInt(elements.size());
    for (Element e : elements) {
      b.putLong(e.expiry).putInt(e.value.length).put(e.value);
    }
    return b.array();
  }

  static List<Element> entries(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry, 8, entry.length - 8);
    int n = in.getInt();
    List<Element> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long expiry = in.getLong();
      byte[] k = new byte[in.getInt()];
      in.get(k);
      byte[] v = new byte[in.getInt()];
      in.get(v);
      out.add(new Element(expiry, k, v));
    }
    return out;
  }

  static byte[] encodeEntries(List<Element> entries) {
    int size = 12;
    long due = NEVER;
    for (Element e : entries) {
      size += 16 + e.key.length + e.value.length;
      due = Math.min(due, e.expiry);
    }
    ByteBuffer b = ByteBuffer.allocate(size).putLong(due).putInt(entries.size());
    for (Element e : entries) {
      b.putLong(e.expiry).putInt(e.key.length).put(e.key).putInt(e.value.length).put(e.value);
    }
    return b.array();
  }

  // ---- timers ----

  static long[] timers(byte[] entry) {
    ByteBuffer in = ByteBuffer.wrap(entry, 8, entry.length - 8);
    long[] out = new long[in.getInt()];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getLong();
    }
    return out;
  }

  private static byte @Nullable [] encodeTimers(long[] timers) {
    if (timers.length == 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(12 + 8 * timers.length).putLong(timers[0])
        .putInt(timers.length);
    for (long t : timers) {
      b.putLong(t);
    }
    return b.array();
  }

  /** The timers of a grouping key, earliest first. */
  long[] timersOf(byte[] groupKey) {
    byte[] entry = read(entryKey(TIMERS, "", groupKey));
    return entry == null ? new long[0] : timers(entry);
  }

  void registerTimer(byte[] groupKey, long time) {
    long[] now = timersOf(groupKey);
    int at = Arrays.binarySearch(now, time);
    if (at >= 0) {
      return;
    }
    int insert = -at - 1;
    long[] after = new long[now.length + 1];
    System.arraycopy(now, 0, after, 0, insert);
    after[insert] = time;
    System.arraycopy(now, insert, after, insert + 1, now.length - insert);
    write(entryKey(TIMERS, "", groupKey), encodeTimers(after));
  }

  void deleteTimer(byte[] groupKey, long time) {
    long[] now = timersOf(groupKey);
    int at = Arrays.binarySearch(now, time);
    if (at < 0) {
      return;
    }
    long[] after = new long[now.length - 1];
    System.arraycopy(now, 0, after, 0, at);
    System.arraycopy(now, at + 1, after, at, after.length - at);
    write(entryKey(TIMERS, "", groupKey), encodeTimers(after));
  }
}
