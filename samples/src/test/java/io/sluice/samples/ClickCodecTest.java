package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.RecordCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The codec the processor generates for an @Event type, found at run time by its type. */
class ClickCodecTest {
  private final RecordCodec<Click> codec = RecordCodec.forType(Click.class);

  @Test
  void forTypeFindsTheGeneratedCodec() {
    assertThat(codec).isInstanceOf(Click_Codec.class);
  }

  @Test
  void binaryRoundTrip() throws IOException {
    Click click = new Click("ann", "/produit/café", -1L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    codec.writeBinary(click, new DataOutputStream(bytes));

    Click back =
        codec.readBinary(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    assertThat(back).isEqualTo(click);
  }

  @Test
  void jsonRoundTrip() {
    Click click = new Click("ann", null, 1_700_000_000_000L);

    String json = codec.toJson(click);

    assertThat(json).isEqualTo("{\"user\":\"ann\",\"page\":null,\"ts\":1700000000000}");
    assertThat(codec.fromJson(json)).isEqualTo(click);
    assertThat(codec.fromJson("{\"ts\": 5, \"user\": \"bob\", \"referrer\": \"x\"}"))
        .isEqualTo(new Click("bob", null, 5));
  }

  @Test
  void csvRoundTripTellsNullFromEmpty() {
    Click click = new Click(null, "", 7L);

    String csv = codec.toCsv(click);

    assertThat(csv).isEqualTo(",\"\",7");
    assertThat(codec.fromCsv(csv)).isEqualTo(click);
  }
}
