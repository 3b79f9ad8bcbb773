package io.sluice.internal.state;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import io.sluice.internal.checkpoint.CheckpointFile;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import net.openhft.chronicle.hash.impl.SizePrefixedBlob;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current state of one partition: encoded keys to encoded values in an off-heap Chronicle
 * Map, so that heap use does not grow with the number of keys. With a checkpoint the map lives in
 * a file ({@code live-<capacity>.cmap}, named by the marker file {@code live}), so that a restart
 * on the same machine reuses it instead of rebuilding it from snapshots and change logs.
 *
 * <p>A Chronicle Map cannot grow past the entries it was created for, and creating one for
 * millions of entries costs time and memory up front. So a map starts small and, when full, moves
 * its entries to one four times larger, up to the configured maximum; only past that is it an
 * error.
 *
 * <p>The file is a cache: a power loss may lose pages of it that the change logs kept. So the
 * marker records the machine's boot id, and a map from before a reboot is not trusted.
 */
final class LiveMap implements AutoCloseable {
  /** The entries a partition's first map is created for. */
  static final long INITIAL_KEYS = 1 << 16;

  private static final Logger LOG = LoggerFactory.getLogger(LiveMap.class);
  private static final String MARKER = "live";
  private static final String UNKNOWN_BOOT = "unknown";

  private final String name;
  private final long maxKeys;
  private final int averageKeyBytes;
  private final int averageValueBytes;
  private final @Nullable Path directory;
  private long capacity;
  private ChronicleMap<byte[], byte[]> map;
  /**
   * Iterations under way, some on the store's maintenance thread while a batch changes the map;
   * guarded by this object's monitor, as is the swap of {@link #map} by a growth.
   */
  private int iterations;
  /** Maps a growth replaced while an iteration still read them: closed when the last one ends. */
  private final List<ChronicleMap<byte[], byte[]>> retired = new ArrayList<>();

  private LiveMap(String name, long maxKeys, int averageKeyBytes, int averageValueBytes,
      @Nullable Path directory, long capacity) {
    this.name = name;
    this.maxKeys = maxKeys;
    this.averageKeyBytes = averageKeyBytes;
    this.averageValueBytes = averageValueBytes;
    this.directory = directory;
    this.capacity = capacity;
  }

  /** A map backed by no file, lost with the process: for queries without a checkpoint. */
  static LiveMap inMemory(String name, long maxKeys, int averageKeyBytes, int averageValueBytes) {
    LiveMap live = new LiveMap(name, maxKeys, averageKeyBytes, averageValueBytes, null,
        Math.min(INITIAL_KEYS, maxKeys));
    live.map = live.builder(live.capacity).create();
    return live;
  }

  /** A new, empty map in {@code directory}, sized for about {@code expectedKeys}. */
  static LiveMap create(String name, Path directory, long maxKeys, int averageKeyBytes,
      int averageValueBytes, long expectedKeys) {
    long capacity = Math.min(INITIAL_KEYS, maxKeys);
    while (capacity < maxKeys && capacity < expectedKeys + expectedKeys / 4) {
      capacity = Math.min(capacity * 4, maxKeys);
    }
    LiveMap live = new LiveMap(name, maxKeys, averageKeyBytes, averageValueBytes, directory,
        capacity);
    // The marker goes first: a kill while Chronicle writes the new file's header must not leave
    // a marker naming a half-made file, which Chronicle would wait on forever when reopening it.
    deleteMarker(directory);
    deleteMapFiles(directory, null);
    live.map = live.persisted(capacity);
    live.writeMarker();
    return live;
  }

  /**
   * The map a previous run left in {@code directory}, or null if there is none to trust: none
   * recorded, one from before the machine restarted, one whose recovery a kill interrupted, or one
   * that will not open. {@code recover} asks Chronicle to repair locks and entries a process killed
   * while writing may have left.
   */
  static @Nullable LiveMap reopen(String name, Path directory, long maxKeys, int averageKeyBytes,
      int averageValueBytes, boolean recover) {
    Path marker = directory.resolve(MARKER);
    if (!Files.exists(marker)) {
      return null;
    }
    Map<String, String> fields = parse(CheckpointFile.read(marker));
    String boot = fields.getOrDefault("boot", UNKNOWN_BOOT);
    String fileName = fields.get("map");
    if (fileName == null || boot.equals(UNKNOWN_BOOT) || !boot.equals(bootId())
        || !fileName.matches("live-\\d{1,19}\\.cmap")) {
      return null;
    }
    Path file = directory.resolve(fileName);
    if (!Files.exists(file)) {
      return null;
    }
    if (!headerComplete(file)) {
      // Chronicle marks the header not complete while it recovers a map, and a kill then leaves it
      // so: reopening would wait a minute for the process that was recovering it, long dead.
      LOG.warn("state map {} was left half-recovered by a killed run, rebuilding it from the"
          + " checkpoint", file);
      return null;
    }
    deleteMapFiles(directory, fileName);
    long capacity = Long.parseLong(fileName.substring(5, fileName.length() - 5));
    LiveMap live = new LiveMap(name, maxKeys, averageKeyBytes, averageValueBytes, directory,
        capacity);
    try {
      File f = file.toFile();
      live.map = recover ? live.builder(capacity).recoverPersistedTo(f, true)
          : live.builder(capacity).createPersistedTo(f);
      return live;
    } catch (IOException | RuntimeException e) {
      LOG.warn("state map {} cannot be reused, rebuilding it from the checkpoint: {}", file,
          e.toString());
      return null;
    }
  }

  /**
   * Whether Chronicle marked the map file's header complete: its size word (a little-endian int
   * after the header's checksum) has the not-complete bit clear. A file too short to have one is
   * not complete either.
   */
  private static boolean headerComplete(Path file) {
    ByteBuffer sizeWord = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (sizeWord.hasRemaining()) {
        if (channel.read(sizeWord, SizePrefixedBlob.SIZE_WORD_OFFSET + sizeWord.position()) < 0) {
          return false;
        }
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot read the state map file " + file + ": " + e, e);
    }
    return SizePrefixedBlob.isReady(sizeWord.getInt(0));
  }

  private ChronicleMapBuilder<byte[], byte[]> builder(long entries) {
    return ChronicleMapBuilder.of(byte[].class, byte[].class)
        .name(name)
        .entries(entries)
        .averageKeySize(averageKeyBytes)
        .averageValueSize(averageValueBytes);
  }

  private ChronicleMap<byte[], byte[]> persisted(long entries) {
    Path file = directory.resolve("live-" + entries + ".cmap");
    try {
      Files.deleteIfExists(file);
      return builder(entries).createPersistedTo(file.toFile());
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot create the state map file " + file + ": " + e, e);
    }
  }

  private static void deleteMarker(Path directory) {
    try {
      Files.deleteIfExists(directory.resolve(MARKER));
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot remove the state map marker " + directory.resolve(MARKER) + ": " + e, e);
    }
  }

  private void writeMarker() {
    CheckpointFile.write(directory.resolve(MARKER),
        "map=live-" + capacity + ".cmap\nboot=" + bootId() + "\n");
  }

  /** Moves every entry to a map four times larger; false if the maximum is reached already. */
  private boolean grow() {
    if (capacity >= maxKeys) {
      return false;
    }
    long larger = Math.min(capacity * 4, maxKeys);
    ChronicleMap<byte[], byte[]> bigger = directory == null ? builder(larger).create()
        : persisted(larger);
    for (Map.Entry<byte[], byte[]> e : map.entrySet()) {
      bigger.put(e.getKey(), e.getValue());
    }
    replace(bigger);
    capacity = larger;
    if (directory != null) {
      writeMarker();
      deleteMapFiles(directory, "live-" + capacity + ".cmap");
    }
    return true;
  }

  byte @Nullable [] get(byte[] key) {
    return map.get(key);
  }

  void put(byte[] key, byte[] value) {
    while (true) {
      try {
        replace(key, value);
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

  void remove(byte[] key) {
    try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
      // The update lock first: a lookup under the read lock cannot be upgraded to remove.
      c.updateLock().lock();
      MapEntry<byte[], byte[]> entry = c.entry();
      if (entry != null) {
        entry.doRemove();
      }
    }
  }

  /**
   * Puts {@code value} under {@code key} in one lookup. Unlike {@link ChronicleMap#put}, it does
   * not read the previous value back into a new array, which nothing here wants.
   */
  private void replace(byte[] key, byte[] value) {
    try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(key)) {
      c.updateLock().lock();
      MapEntry<byte[], byte[]> entry = c.entry();
      if (entry != null) {
        entry.doReplaceValue(c.wrapValueAsData(value));
      } else {
        c.absentEntry().doInsert(c.wrapValueAsData(value));
      }
    }
  }

  long size() {
    return map.longSize();
  }

  long offHeapBytes() {
    return map.offHeapMemoryUsed();
  }

  /**
   * Hands every entry to {@code action}. Safe on another thread while a batch changes the map,
   * also when it grows: each key is seen once, with a value it had at some moment of the
   * iteration, and the map being read stays open until the iteration ends, frozen once a growth
   * has moved its entries.
   */
  void forEach(BiConsumer<byte[], byte[]> action) {
    ChronicleMap<byte[], byte[]> reading = beginIteration();
    try {
      for (Map.Entry<byte[], byte[]> e : reading.entrySet()) {
        action.accept(e.getKey(), e.getValue());
      }
    } finally {
      endIteration();
    }
  }

  private synchronized ChronicleMap<byte[], byte[]> beginIteration() {
    iterations++;
    return map;
  }

  private synchronized void endIteration() {
    if (--iterations == 0) {
      retired.forEach(ChronicleMap::close);
      retired.clear();
    }
  }

  /** Makes {@code bigger} the map, closing the old one unless an iteration still reads it. */
  private synchronized void replace(ChronicleMap<byte[], byte[]> bigger) {
    if (iterations > 0) {
      retired.add(map);
    } else {
      map.close();
    }
    map = bigger;
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
  public synchronized void close() {
    retired.forEach(ChronicleMap::close);
    retired.clear();
    map.close();
  }

  /** Deletes the map files in {@code directory} other than {@code keep}: leftovers of a growth. */
  private static void deleteMapFiles(Path directory, @Nullable String keep) {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith("live-") && name.endsWith(".cmap") && !name.equals(keep)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new SluiceException(ErrorKind.CHECKPOINT,
          "cannot clean the state folder " + directory + ": " + e, e);
    }
  }

  private static Map<String, String> parse(String body) {
    Map<String, String> fields = new java.util.HashMap<>();
    for (String line : body.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fields;
  }

  /** This boot of the machine: Linux's boot id, or unknown elsewhere (then nothing is reused). */
  static String bootId() {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/sys/kernel/random/boot_id")),
          StandardCharsets.US_ASCII).trim();
    } catch (IOException | RuntimeException e) {
      return UNKNOWN_BOOT;
    }
  }
}
