package io.sluice.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A key's bytes and its stable hash are part of the checkpoint: they decide where a group is kept,
 * so a restarted query on another build must find its groups where the last one left them.
 */
class KeyWriterTest {
  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void numbersAreBigEndianAfterANullFlag() {
    KeyWriter key = new KeyWriter();
    key.putLong(false, 0x0102030405060708L);
    key.putInt(false, 0x0A0B0C0D);
    key.putLong(true, 99);
    key.putWindow(-1, 16);
    assertThat(key.toByteArray()).containsExactly(bytes(
        1, 1, 2, 3, 4, 5, 6, 7, 8,
        1, 0x0A, 0x0B, 0x0C, 0x0D,
        0,
        1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 16));
  }

  @Test
  void theStableHashOfAKeyNeverChanges() {
    KeyWriter key = new KeyWriter();
    key.putWindow(1_700_000_000_000L, 1_700_000_010_000L);
    key.putLong(false, 591);
    // Pinned: checkpoints written by earlier builds route this key with this hash.
    assertThat(KeyWriter.hash(key.buffer(), 0, key.length())).isEqualTo(STABLE_HASH);
  }

  @Test
  void theLocalHashDependsOnEveryByte() {
    byte[] key = new byte[26];
    int base = KeyWriter.localHash(key, key.length);
    for (int i = 0; i < key.length; i++) {
      key[i] = 1;
      assertThat(KeyWriter.localHash(key, key.length)).as("byte %d", i).isNotEqualTo(base);
      key[i] = 0;
    }
    assertThat(KeyWriter.localHash(key, 25)).isNotEqualTo(base);
  }

  @Test
  void keysAreEqualOnlyWhenEveryByteIs() {
    byte[] arena = new byte[40];
    byte[] key = new byte[19];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 7 + 1);
      arena[5 + i] = key[i];
    }
    assertThat(KeyWriter.equalBytes(arena, 5, key, key.length)).isTrue();
    for (int i = 0; i < key.length; i++) {
      arena[5 + i]++;
      assertThat(KeyWriter.equalBytes(arena, 5, key, key.length)).as("byte %d", i).isFalse();
      arena[5 + i]--;
    }
  }

  private static final int STABLE_HASH = 1_615_565_538;
}
