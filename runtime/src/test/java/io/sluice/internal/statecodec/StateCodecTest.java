package io.sluice.internal.statecodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ErrorKind;
import io.sluice.api.SluiceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A state codec gives back every value it encodes, keeps the layout its class comment gives (it
 * is part of the checkpoint format), gives equal values equal bytes and unequal ones unequal
 * bytes (keys depend on both), and reports damaged bytes instead of misreading them.
 */
public class StateCodecTest {
  /** A component of every supported type, primitive and nullable. */
  public record Everything(long id, int count, double score, boolean flag, Long total,
      Integer rank, Double ratio, Boolean seen, String name, Instant at) {}

  public record Session(String user, long visits, Instant last) {}

  public record Marker() {}

  public record Tagged(String user, List<String> tags) {}

  public record Packet(String topic, byte[] payload) {}

  /**
   * What kotlinc makes of {@code data class Visit(val page: String, val hits: Long, val last:
   * Instant?)}: fields in order, {@code componentN} accessors, getters and a constructor.
   */
  public static final class Visit {
    private final String page;
    private final long hits;
    private final Instant last;

    public Visit(String page, long hits, Instant last) {
      this.page = page;
      this.hits = hits;
      this.last = last;
    }

    public String component1() {
      return page;
    }

    public long component2() {
      return hits;
    }

    public Instant component3() {
      return last;
    }

    public String getPage() {
      return page;
    }

    public long getHits() {
      return hits;
    }

    public Instant getLast() {
      return last;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Visit v && v.page.equals(page) && v.hits == hits
          && Objects.equals(v.last, last);
    }

    @Override
    public int hashCode() {
      return Objects.hash(page, hits, last);
    }
  }

  private static <T> T roundTrip(Class<T> type, T value) {
    StateCodec<T> codec = StateCodec.of(type);
    return codec.decode(codec.encode(value));
  }

  // Round trips

  @Test
  void everySupportedTypeRoundTrips() {
    List<Everything> values = List.of(
        new Everything(0, 0, 0.0, false, 0L, 0, 0.0, false, "", Instant.EPOCH),
        new Everything(Long.MIN_VALUE, Integer.MIN_VALUE, -0.0, true, Long.MAX_VALUE,
            Integer.MAX_VALUE, Double.NaN, true, "ann", Instant.ofEpochMilli(-1)),
        new Everything(Long.MAX_VALUE, -1, Double.NEGATIVE_INFINITY, false, Long.MIN_VALUE, -7,
            Double.POSITIVE_INFINITY, false, "größe €, 日本, 🎉", Instant.ofEpochMilli(1_700_000_000_123L)),
        new Everything(42, 7, Double.MIN_VALUE, true, null, null, null, null, null, null));
    for (Everything value : values) {
      assertThat(roundTrip(Everything.class, value)).isEqualTo(value);
    }
  }

  @Test
  void stringsOfEveryLengthRoundTrip() {
    // 127, 128 and 16384 bytes are where the length takes one, two and three bytes.
    for (int length : new int[] {1, 127, 128, 16_383, 16_384, 1_000_000}) {
      Session value = new Session("x".repeat(length), length, null);
      assertThat(roundTrip(Session.class, value)).isEqualTo(value);
    }
  }

  @Test
  void aByteArrayIsItsByteCountAndBytesAndCountsByContent() {
    StateCodec<Packet> codec = StateCodec.of(Packet.class);
    byte[] bytes = codec.encode(new Packet("t", new byte[] {0, (byte) 0xff}));

    assertThat(bytes).containsExactly(0, 1, 1, 't', 1, 2, 0, 0xff);
    assertThat(codec.encode(new Packet("t", new byte[] {0, (byte) 0xff}))).isEqualTo(bytes);
    assertThat(codec.decode(bytes).payload()).containsExactly(0, 0xff);
    assertThat(codec.decode(codec.encode(new Packet(null, null))).payload()).isNull();
    assertThat(codec.decode(codec.encode(new Packet("", new byte[0]))).payload()).isEmpty();
    assertThat(StateSchema.of(Packet.class)).hasToString("topic STRING, payload BINARY");
    assertThat(StateSchema.parse("topic STRING, payload BINARY"))
        .isEqualTo(StateSchema.of(Packet.class));
  }

  @Test
  void aByteArrayLongerThanItsBytesIsAnErrorNotZeroes() {
    StateCodec<Packet> codec = StateCodec.of(Packet.class);
    byte[] bytes = codec.encode(new Packet(null, new byte[] {1, 2}));
    bytes[3] = 9; // claims nine bytes where two follow

    assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(SluiceException.class)
        .hasMessageContaining("do not hold a value of its layout");
  }

  @Test
  void aKotlinDataClassRoundTrips() {
    Visit visit = new Visit("/home", 3, Instant.ofEpochMilli(5000));
    Visit never = new Visit("/about", 0, null);

    assertThat(roundTrip(Visit.class, visit)).isEqualTo(visit);
    assertThat(roundTrip(Visit.class, never)).isEqualTo(never);
    assertThat(StateSchema.of(Visit.class)).hasToString(
        "page STRING, hits BIGINT NOT NULL, last TIMESTAMP");
  }

  @Test
  void aTypeWithoutComponentsIsItsVersionByteAlone() {
    StateCodec<Marker> codec = StateCodec.of(Marker.class);

    assertThat(codec.encode(new Marker())).containsExactly(0);
    assertThat(codec.decode(new byte[] {0})).isEqualTo(new Marker());
  }

  @Test
  void anInstantKeepsMillisecondsOnly() {
    Instant precise = Instant.ofEpochSecond(10, 123_456_789);

    assertThat(roundTrip(Session.class, new Session("a", 1, precise)).last())
        .isEqualTo(Instant.ofEpochMilli(10_123));
  }

  @Test
  void thereIsOneCodecPerType() {
    assertThat(StateCodec.of(Session.class)).isSameAs(StateCodec.of(Session.class));
  }

  @Test
  void aTypeWithAnUnsupportedComponentIsRefused() {
    assertThatThrownBy(() -> StateCodec.of(Tagged.class)).isInstanceOf(SluiceException.class)
        .hasMessage("[Sluice/InvalidEventType] cannot use "
            + "io.sluice.internal.statecodec.StateCodecTest.Tagged as an event type: component "
            + "'tags' has type java.util.List; supported: long, int, double, boolean, their boxes, "
            + "String, java.time.Instant, byte[]");
  }

  // Layout

  @Test
  void keepsItsLayout() {
    byte[] bytes = StateCodec.of(Session.class)
        .encode(new Session("ann", 3, Instant.ofEpochMilli(1000)));

    byte[] expected = ByteBuffer.allocate(23).put((byte) 0) // layout version
        .put((byte) 1).put((byte) 3).put("ann".getBytes(StandardCharsets.UTF_8)) // user
        .putLong(3) // visits, NOT NULL: no presence byte
        .put((byte) 1).putLong(1000) // last
        .array();
    assertThat(bytes).isEqualTo(expected);
  }

  @Test
  void aNullIsItsPresenceByteAlone() {
    assertThat(StateCodec.of(Session.class).encode(new Session(null, -1, null)))
        .isEqualTo(ByteBuffer.allocate(11).put((byte) 0).put((byte) 0).putLong(-1)
            .put((byte) 0).array());
  }

  @Test
  void everyPrimitiveHasItsWidth() {
    byte[] bytes = StateCodec.of(Everything.class).encode(
        new Everything(1, 2, 0.5, true, null, 3, null, false, null, null));

    byte[] expected = ByteBuffer.allocate(33).put((byte) 0).putLong(1).putInt(2).putDouble(0.5)
        .put((byte) 1).put((byte) 0).put((byte) 1).putInt(3).put((byte) 0).put((byte) 1)
        .put((byte) 0).put((byte) 0).put((byte) 0).array();
    assertThat(bytes).isEqualTo(expected);
  }

  // Determinism

  @Test
  void theSameValueAlwaysGetsTheSameBytes() {
    StateCodec<Everything> codec = StateCodec.of(Everything.class);
    Everything value = new Everything(1, 2, 3.5, true, 4L, 5, 6.5, true, "key", Instant.EPOCH);
    Everything copy = new Everything(1, 2, 3.5, true, 4L, 5, 6.5, true, new String("key"),
        Instant.ofEpochMilli(0));

    assertThat(codec.encode(value)).isEqualTo(codec.encode(value)).isEqualTo(codec.encode(copy));
  }

  @Test
  void everyNanGetsTheSameBytesAsRecordsCompareThem() {
    StateCodec<Everything> codec = StateCodec.of(Everything.class);
    double otherNan = Double.longBitsToDouble(0x7ff8_0000_0000_0001L);
    Everything nan = new Everything(0, 0, Double.NaN, false, null, null, Double.NaN, null, null,
        null);
    Everything other = new Everything(0, 0, otherNan, false, null, null, otherNan, null, null,
        null);

    assertThat(other).isEqualTo(nan);
    assertThat(codec.encode(other)).isEqualTo(codec.encode(nan));
  }

  @Test
  void valuesAreEqualExactlyWhenTheirBytesAre() {
    // Small domains, so that equal values, nulls, empty strings, zeros and -0.0 all meet.
    StateCodec<Everything> codec = StateCodec.of(Everything.class);
    Map<ByteBuffer, Everything> byBytes = new HashMap<>();
    Map<Everything, ByteBuffer> byValue = new HashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      Everything value = randomValue(random);
      ByteBuffer bytes = ByteBuffer.wrap(codec.encode(value));
      assertThat(byBytes.computeIfAbsent(bytes, b -> value)).isEqualTo(value);
      assertThat(byValue.computeIfAbsent(value, v -> bytes)).isEqualTo(bytes);
    }
    assertThat(byBytes).hasSizeGreaterThan(10_000);
  }

  private static Everything randomValue(Random r) {
    return new Everything(r.nextInt(3) - 1, r.nextInt(3), pick(r, 0.0, -0.0, Double.NaN),
        r.nextBoolean(), pick(r, null, 0L, 1L), pick(r, null, 0, 1), pick(r, null, 0.0, -0.0),
        pick(r, null, true, false), pick(r, null, "", "a", "\u0000"),
        pick(r, null, Instant.EPOCH, Instant.ofEpochMilli(1)));
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }

  // Damaged bytes

  @Test
  void anUnknownLayoutVersionIsAnError() {
    byte[] bytes = StateCodec.of(Session.class).encode(new Session("a", 1, null));
    bytes[0] = 5;

    assertThatThrownBy(() -> StateCodec.of(Session.class).decode(bytes))
        .isInstanceOf(SluiceException.class)
        .hasMessage("[Sluice/Checkpoint] cannot read a value of an unnamed state as "
            + "io.sluice.internal.statecodec.StateCodecTest.Session: its layout version is 5, "
            + "but the checkpoint records only versions 0 to 0");
  }

  @Test
  void truncatedBytesAreAnError() {
    StateCodec<Session> codec = StateCodec.of(Session.class);
    byte[] bytes = codec.encode(new Session("ann", 1, Instant.EPOCH));

    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> codec.decode(cut))
          .isInstanceOfSatisfying(SluiceException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.CHECKPOINT))
          .hasMessageStartingWith("[Sluice/Checkpoint] cannot read a value of an unnamed state "
              + "as io.sluice.internal.statecodec.StateCodecTest.Session: its " + length
              + " bytes do not hold a value of its layout (");
    }
  }

  @Test
  void leftOverBytesAreAnError() {
    StateCodec<Session> codec = StateCodec.of(Session.class);
    byte[] bytes = Arrays.copyOf(codec.encode(new Session(null, 1, null)), 12);

    assertThatThrownBy(() -> codec.decode(bytes)).hasMessage("[Sluice/Checkpoint] cannot read a "
        + "value of an unnamed state as io.sluice.internal.statecodec.StateCodecTest.Session: "
        + "bytes are left over after its last field, at 11");
  }

  @Test
  void aPresenceByteOtherThanZeroOrOneIsAnError() {
    StateCodec<Session> codec = StateCodec.of(Session.class);
    byte[] bytes = codec.encode(new Session(null, 1, null));
    bytes[1] = 7;

    assertThatThrownBy(() -> codec.decode(bytes)).hasMessage("[Sluice/Checkpoint] cannot read a "
        + "value of an unnamed state as io.sluice.internal.statecodec.StateCodecTest.Session: "
        + "its 11 bytes do not hold a value of its layout (expected 0 or 1 but found 7 at 1)");
  }

  // Volume

  @Test
  void aMillionSmallValuesRoundTrip() {
    StateCodec<Session> codec = StateCodec.of(Session.class);
    long visits = 0;
    int bytes = 0;
    for (int i = 0; i < 1_000_000; i++) {
      byte[] encoded = codec.encode(new Session("user" + (i % 1000), i, Instant.ofEpochMilli(i)));
      bytes += encoded.length;
      visits += codec.decode(encoded).visits();
    }
    assertThat(visits).isEqualTo(999_999L * 1_000_000 / 2);
    assertThat(bytes).isBetween(1_000_000 * 25, 1_000_000 * 27);
  }
}
