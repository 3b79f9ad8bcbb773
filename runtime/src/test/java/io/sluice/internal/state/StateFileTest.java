package io.sluice.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.SluiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state file reads back exactly what was written, keeps the layout its class comment gives (it
 * is part of the checkpoint format), and refuses a file that is damaged anywhere.
 */
class StateFileTest {
  @TempDir
  Path folder;

  private Path write(String name, List<byte[][]> entries) {
    Path file = folder.resolve(name);
    try (StateFile.Writer writer = new StateFile.Writer(file)) {
      for (byte[][] e : entries) {
        writer.add(e[0], e[1], e[2]);
      }
      writer.publish();
    }
    return file;
  }

  private static List<byte[][]> read(Path file) {
    List<byte[][]> entries = new ArrayList<>();
    StateFile.read(file, (key, before, after) -> entries.add(new byte[][] {key, before, after}));
    return entries;
  }

  /** Entries of every shape: absent and empty values, and some larger than any I/O buffer. */
  private static List<byte[][]> entries() {
    List<byte[][]> entries = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      byte[] key = ByteBuffer.allocate(4 + i % 13).putInt(i).array();
      byte[] before = i % 3 == 0 ? null : new byte[i % 5];
      byte[] after = i % 7 == 0 ? null : ByteBuffer.allocate(8).putLong(-i).array();
      entries.add(new byte[][] {key, before, after});
    }
    byte[] large = new byte[300_000];
    Arrays.fill(large, (byte) 7);
    entries.add(25_000, new byte[][] {large, null, large});
    return entries;
  }

  @Test
  void readsBackEveryEntryInOrder() {
    List<byte[][]> written = entries();
    List<byte[][]> read = read(write("1.delta", written));
    assertThat(read).hasSameSizeAs(written);
    for (int i = 0; i < written.size(); i++) {
      assertThat(read.get(i)).as("entry %d", i).isDeepEqualTo(written.get(i));
    }
    assertThat(StateFile.verify(folder.resolve("1.delta"))).isEqualTo(written.size());
  }

  @Test
  void keepsItsLayout() throws IOException {
    List<byte[][]> one = new ArrayList<>();
    one.add(new byte[][] {{1, 2}, null, {3}});
    Path file = write("1.delta", one);
    byte[] body = ByteBuffer.allocate(23).putInt(0x534c5354).putInt(1)
        .putInt(2).put(new byte[] {1, 2}).putInt(-1).putInt(1).put((byte) 3).array();
    CRC32 crc = new CRC32();
    crc.update(body);
    byte[] expected = ByteBuffer.allocate(body.length + 20).put(body).putInt(-2).putLong(1)
        .putLong(crc.getValue()).array();
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
  }

  @Test
  void aChangedByteAnywhereIsDetected() throws IOException {
    List<byte[][]> two = new ArrayList<>();
    two.add(new byte[][] {{1, 2}, null, {3}});
    two.add(new byte[][] {{4}, {5}, null});
    Path file = write("1.snapshot", two);
    byte[] good = Files.readAllBytes(file);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      Files.write(file, bad);
      assertThatThrownBy(() -> StateFile.verify(file)).as("byte %d changed", i)
          .isInstanceOf(SluiceException.class).hasMessageContaining("state file " + file);
    }
  }

  @Test
  void aTruncatedOrExtendedFileIsDetected() throws IOException {
    Path file = write("1.delta", entries());
    byte[] good = Files.readAllBytes(file);
    for (int length : new int[] {0, 7, 8, good.length / 2, good.length - 20, good.length - 1}) {
      Files.write(file, Arrays.copyOf(good, length));
      assertThatThrownBy(() -> StateFile.verify(file)).as("%d bytes", length)
          .isInstanceOf(SluiceException.class).hasMessageContaining("is corrupt");
    }
    Files.write(file, Arrays.copyOf(good, good.length + 1));
    assertThatThrownBy(() -> StateFile.verify(file))
        .hasMessageContaining("it has bytes after its end");
  }
}
